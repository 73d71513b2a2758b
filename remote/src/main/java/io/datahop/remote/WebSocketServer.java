package io.datahop.remote;

import io.datahop.DatahopException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The listening side: a Netty server whose connections upgrade to WebSocket on {@link #PATH}. */
final class WebSocketServer {
  static final String PATH = "/datahop";
  /** A ping goes out after this many idle seconds; a connection silent for 4× as long is closed. */
  static final int PING_SECONDS = 5;

  private WebSocketServer() {}

  /** The handlers of an accepted connection: HTTP, upgrade to WebSocket, frames, the peer's link. */
  static ChannelInitializer<Channel> pipeline(Peer peer) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(new HttpServerCodec());
        p.addLast(new HttpObjectAggregator(8192));
        p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PATH)
            .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(FrameCodec.MAX_FRAME).build())
            .handshakeTimeoutMillis(peer.config().handshakeTimeout().toMillis())
            .build()));
        p.addLast(new WebSocketFrameAggregator(FrameCodec.MAX_FRAME));
        p.addLast(new IdleStateHandler(peer.heartbeat().toMillis() * 4, peer.heartbeat().toMillis(), 0, TimeUnit.MILLISECONDS));
        p.addLast(new WebSocketTransport(peer, null));
      }
    };
  }

  static Channel bind(Peer peer, int port) {
    ServerBootstrap b = new ServerBootstrap()
        .group(peer.group())
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
        .childHandler(pipeline(peer));
    try {
      return b.bind(port).sync().channel();
    } catch (Exception e) {
      throw new DatahopException.Unavailable("remote/listen-failed",
          "peer " + peer.id() + " cannot listen on port " + port + ": " + e.getMessage(), Map.of("port", port), e);
    }
  }
}
