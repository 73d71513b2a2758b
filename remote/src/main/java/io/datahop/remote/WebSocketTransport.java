package io.datahop.remote;

import io.datahop.DatahopException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
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
  private final boolean dialing;
  private final FrameBudget.Connection budget;
  private volatile Channel channel;
  private Link link;

  /**
   * The transport of a connection this peer made ({@code dialing}; {@code dialer} reconnects it,
   * may be null) or accepted, its frames counted in {@code budget}.
   */
  WebSocketTransport(Peer peer, Dialer dialer, boolean dialing, FrameBudget.Connection budget) {
    this.peer = peer;
    this.dialer = dialer;
    this.dialing = dialing;
    this.budget = budget;
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
      link = peer.newLink(this, dialer, dialing, budget);
      link.start();
    } else if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE) {
        LOG.warn("connection to {} is silent; closing it", describe());
        ctx.close();
      } else if (link != null && link.isReady()) {
        // a ping is no handshake message: before the link is ready the other side would refuse it
        send(new Message.Ping(System.nanoTime()));
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    int size = frame.content().readableBytes(); // what FrameGate counted for this message's fragments
    if (link == null || !(frame instanceof BinaryWebSocketFrame)) {
      budget.release(size);
      LOG.warn("refusing {}: unexpected {}; closing", describe(), frame.getClass().getSimpleName());
      ctx.close();
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(frame.content());
    if (!link.admits(FrameCodec.type(bytes))) {
      budget.release(size);
      return;
    }
    Message m;
    try {
      m = FrameCodec.decode(bytes, link.bodies());
    } catch (DatahopException e) {
      budget.release(size);
      LOG.warn("refusing {}: malformed frame: {}; closing", describe(), e.getMessage());
      ctx.close();
      return;
    }
    link.receive(m, size);
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
    if (cause instanceof java.io.IOException) {
      LOG.debug("connection to {} failed: {}", describe(), cause.toString());
    } else {
      // a protocol violation (an oversized fragment, a bad TLS record or certificate, a broken upgrade)
      LOG.warn("refusing {}: {}; closing", describe(), cause.getCause() != null ? cause + " (" + cause.getCause() + ")" : cause.toString());
    }
    ctx.close();
  }

  @Override
  public void send(Message message) {
    Channel c = channel;
    if (c == null) {
      return;
    }
    byte[] bytes = FrameCodec.encode(message);
    if (message instanceof Message.Answer && !c.eventLoop().inEventLoop()) {
      // a body's answer from its own thread: written in a task that also tells the I/O thread's
      // ReplySpin that this answer is out, so it stops polling once none is awaited
      try {
        c.eventLoop().execute(() -> {
          write(c, bytes);
          ReplySpin.answered();
        });
      } catch (RejectedExecutionException e) {
        // the peer is closing
      }
      return;
    }
    write(c, bytes);
  }

  /**
   * Writes one message: one binary frame, or for more than {@link FrameCodec#MAX_FRAGMENT} bytes a
   * binary fragment and continuation fragments (the other side's decoder takes no larger frame).
   */
  private static void write(Channel c, byte[] bytes) {
    if (bytes.length <= FrameCodec.MAX_FRAGMENT) {
      c.writeAndFlush(new BinaryWebSocketFrame(c.alloc().buffer(bytes.length).writeBytes(bytes)), c.voidPromise());
      return;
    }
    for (int at = 0; at < bytes.length; at += FrameCodec.MAX_FRAGMENT) {
      int n = Math.min(FrameCodec.MAX_FRAGMENT, bytes.length - at);
      boolean last = at + n == bytes.length;
      ByteBuf buf = c.alloc().buffer(n).writeBytes(bytes, at, n);
      WebSocketFrame f = at == 0 ? new BinaryWebSocketFrame(false, 0, buf) : new ContinuationWebSocketFrame(last, 0, buf);
      c.write(f, c.voidPromise());
    }
    c.flush();
  }

  @Override
  public void sendAndClose(Message message) {
    Channel c = channel;
    if (c != null) {
      c.writeAndFlush(frame(c, message)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static BinaryWebSocketFrame frame(Channel c, Message message) {
    // only handshake messages end a connection: always one small frame
    byte[] bytes = FrameCodec.encode(message);
    return new BinaryWebSocketFrame(c.alloc().buffer(bytes.length).writeBytes(bytes));
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
