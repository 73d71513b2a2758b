package io.datahop.remote;

import io.datahop.DatahopException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a peer connection's pipeline: once the WebSocket handshake completes it
 * creates the {@link Link}, then turns binary frames into {@link Message}s for it and its messages
 * into binary frames. Idle connections are probed with a ping; a silent one is closed.
 */
final class WebSocketTransport extends SimpleChannelInboundHandler<WebSocketFrame> implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

  private final Peer peer;
  private final Dialer dialer;
  private volatile Channel channel;
  private Link link;

  WebSocketTransport(Peer peer, Dialer dialer) {
    this.peer = peer;
    this.dialer = dialer;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete
        || evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      channel = ctx.channel();
      link = peer.newLink(this, dialer);
      link.start();
    } else if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE) {
        LOG.warn("connection to {} is silent; closing it", describe());
        ctx.close();
      } else if (link != null) {
        send(new Message.Ping(System.nanoTime()));
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (link == null || !(frame instanceof BinaryWebSocketFrame)) {
      LOG.warn("unexpected {} from {}; closing", frame.getClass().getSimpleName(), describe());
      ctx.close();
      return;
    }
    Message m;
    try {
      m = FrameCodec.decode(ByteBufUtil.getBytes(frame.content()));
    } catch (DatahopException e) {
      LOG.warn("malformed frame from {}: {}; closing", describe(), e.getMessage());
      ctx.close();
      return;
    }
    link.receive(m);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (link != null) {
      link.closed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection to {} failed: {}", describe(), cause.toString());
    ctx.close();
  }

  @Override
  public void send(Message message) {
    Channel c = channel;
    if (c == null) {
      return;
    }
    BinaryWebSocketFrame frame = frame(c, message);
    if (message instanceof Message.Answer && !c.eventLoop().inEventLoop()) {
      // a body's answer from its own thread: written in a task that also tells the I/O thread's
      // ReplySpin that this answer is out, so it stops polling once none is awaited
      try {
        c.eventLoop().execute(() -> {
          c.writeAndFlush(frame, c.voidPromise());
          ReplySpin.answered();
        });
      } catch (RejectedExecutionException e) {
        frame.release(); // the peer is closing
      }
      return;
    }
    c.writeAndFlush(frame, c.voidPromise());
  }

  @Override
  public void sendAndClose(Message message) {
    Channel c = channel;
    if (c != null) {
      c.writeAndFlush(frame(c, message)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static BinaryWebSocketFrame frame(Channel c, Message message) {
    byte[] bytes = FrameCodec.encode(message);
    ByteBuf buf = c.alloc().buffer(bytes.length);
    buf.writeBytes(bytes);
    return new BinaryWebSocketFrame(buf);
  }

  @Override
  public void close() {
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void setReading(boolean reading) {
    Channel c = channel;
    if (c != null) {
      c.config().setAutoRead(reading);
    }
  }

  @Override
  public String describe() {
    Channel c = channel;
    return c == null ? "(not connected)" : String.valueOf(c.remoteAddress());
  }
}
