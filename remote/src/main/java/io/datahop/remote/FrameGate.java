package io.datahop.remote;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the WebSocket decoder and the frame aggregator and counts every data fragment
 * against the connection's {@link FrameBudget.Connection} before the aggregator keeps it: a
 * fragment that does not fit (a payload before the handshake, or more than the connection's or
 * the peer's budget) closes the connection, so nobody can make the aggregator hold more. The
 * decoder itself never holds more than one fragment ({@link FrameCodec#MAX_FRAGMENT}); peers send
 * larger messages as continuation fragments.
 */
final class FrameGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrameGate.class);

  private final FrameBudget.Connection budget;

  FrameGate(FrameBudget.Connection budget) {
    this.budget = budget;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
      WebSocketFrame f = (WebSocketFrame) msg;
      String refused = budget.reserve(f.content().readableBytes());
      if (refused != null) {
        f.release();
        LOG.warn("refusing {}: {}; closing", ctx.channel().remoteAddress(), refused);
        ctx.close();
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    budget.close();
    super.channelInactive(ctx);
  }
}
