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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side: a Netty server whose connections upgrade to WebSocket on {@link #PATH}.
 * Each accepted connection is first admitted ({@link Admission}: connection limits), must
 * complete the WebSocket upgrade and the peer handshake within the handshake deadline, is
 * refused if it carries a foreign {@code Origin} ({@link OriginCheck}), and has every fragment
 * counted before it is kept ({@link FrameGate}).
 */
final class WebSocketServer {
  static final String PATH = "/datahop";
  /** A ping goes out after this many idle seconds; a connection silent for 4× as long is closed. */
  static final int PING_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketServer.class);

  private WebSocketServer() {}

  /** The handlers of an accepted connection: TLS, HTTP, upgrade to WebSocket, frames, the peer's link. */
  static ChannelInitializer<Channel> pipeline(Peer peer, SslContext ssl) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        PeerConfig c = peer.config();
        String refused = c.admission().admit();
        if (refused != null) {
          LOG.warn("refusing a connection from {}: {}", ch.remoteAddress(), refused);
          ch.close();
          return;
        }
        FrameBudget.Connection budget = c.frameBudget().open();
        budget.onAuthenticated(c.admission()::authenticated);
        ch.closeFuture().addListener(f -> {
          budget.close();
          c.admission().closed(budget.isAuthenticated());
        });
        // the deadline covers the TLS handshake and the WebSocket upgrade too, not only the peers' handshake
        ch.eventLoop().schedule(() -> {
          if (!budget.isAuthenticated() && ch.isOpen()) {
            LOG.warn("refusing {}: it did not complete the handshake within {}", ch.remoteAddress(), c.handshakeTimeout());
            ch.close();
          }
        }, c.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
          p.addLast(ssl.newHandler(ch.alloc()));
        }
        p.addLast(new HttpServerCodec());
        p.addLast(new HttpObjectAggregator(8192));
        p.addLast(new OriginCheck(c.allowedOrigins()));
        p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PATH)
            .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(FrameCodec.MAX_FRAGMENT).build())
            .handshakeTimeoutMillis(c.handshakeTimeout().toMillis())
            .build()));
        p.addLast(new FrameGate(budget));
        p.addLast(new WebSocketFrameAggregator(FrameCodec.MAX_FRAME));
        p.addLast(new IdleStateHandler(peer.heartbeat().toMillis() * 4, peer.heartbeat().toMillis(), 0, TimeUnit.MILLISECONDS));
        p.addLast(new WebSocketTransport(peer, null, false, budget));
      }
    };
  }

  static Channel bind(Peer peer, String address, int port) {
    SslContext ssl = peer.config().tls().listens() ? peer.config().tls().server() : null;
    ServerBootstrap b = new ServerBootstrap()
        .group(peer.group())
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
        .childHandler(pipeline(peer, ssl));
    try {
      return b.bind(new InetSocketAddress(address, port)).sync().channel();
    } catch (Exception e) {
      throw new DatahopException.Unavailable("remote/listen-failed",
          "peer " + peer.id() + " cannot listen on " + address + ":" + port + ": " + e.getMessage(), Map.of("address", address, "port", port), e);
    }
  }
}
