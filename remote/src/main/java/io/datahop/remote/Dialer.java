package io.datahop.remote;

import io.datahop.DatahopException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connecting side of one {@code connect(host, port)}: dials, and after a failed attempt or a
 * dropped connection dials again, waiting from {@code reconnectMin} doubling up to
 * {@code reconnectMax}, until the peer closes or the other side rejects this peer.
 */
final class Dialer {
  private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

  private final Peer peer;
  private final String host;
  private final int port;
  private final Bootstrap bootstrap;
  private final CompletableFuture<PeerId> first = new CompletableFuture<>();
  private volatile Duration backoff;
  private volatile boolean stopped;
  private volatile Channel channel;

  Dialer(Peer peer, String host, int port) {
    this.peer = peer;
    this.host = host;
    this.port = port;
    this.backoff = peer.config().reconnectMin();
    Tls tls = peer.config().tls();
    SslContext ssl = tls.dials() ? tls.client() : null;
    URI uri = URI.create((ssl != null ? "wss://" : "ws://") + host + ":" + port + WebSocketServer.PATH);
    this.bootstrap = new Bootstrap()
        .group(peer.group())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
        .handler(pipeline(peer, uri, this, ssl));
  }

  /**
   * The handlers of a connecting channel: TLS ({@code ssl}, null for none; it verifies that the
   * listener's certificate names {@code uri}'s host), HTTP, the WebSocket handshake, frames, the
   * peer's link.
   */
  static ChannelInitializer<Channel> pipeline(Peer peer, URI uri, Dialer dialer, SslContext ssl) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        FrameBudget.Connection budget = peer.config().frameBudget().open();
        ch.closeFuture().addListener(f -> budget.close());
        if (ssl != null) {
          p.addLast(ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
        }
        p.addLast(new HttpClientCodec());
        p.addLast(new HttpObjectAggregator(8192));
        p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(FrameCodec.MAX_FRAGMENT)
            // an Origin header is what browsers send; a peer sends none, so listeners can refuse pages
            .generateOriginHeader(false)
            .handshakeTimeoutMillis(peer.config().handshakeTimeout().toMillis())
            .build()));
        p.addLast(new FrameGate(budget));
        p.addLast(new WebSocketFrameAggregator(FrameCodec.MAX_FRAME));
        p.addLast(new IdleStateHandler(peer.heartbeat().toMillis() * 4, peer.heartbeat().toMillis(), 0, TimeUnit.MILLISECONDS));
        p.addLast(new WebSocketTransport(peer, dialer, true, budget));
      }
    };
  }

  CompletableFuture<PeerId> firstConnection() {
    return first;
  }

  void start() {
    attempt();
  }

  private void attempt() {
    if (stopped || peer.isClosed()) {
      return;
    }
    ChannelFuture f = bootstrap.connect(host, port);
    channel = f.channel();
    f.addListener(done -> {
      if (!done.isSuccess()) {
        LOG.debug("cannot reach {}:{} ({}); retrying in {}", host, port, done.cause().toString(), backoff);
        retry();
      } else {
        f.channel().closeFuture().addListener(closed -> retry());
      }
    });
  }

  private void retry() {
    if (stopped || peer.isClosed()) {
      return;
    }
    Duration wait = backoff;
    Duration doubled = wait.multipliedBy(2);
    backoff = doubled.compareTo(peer.config().reconnectMax()) > 0 ? peer.config().reconnectMax() : doubled;
    try {
      peer.group().schedule(this::attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // the event loop is shutting down with the peer
    }
  }

  /** A handshake on this dialer's connection completed. */
  void connected(PeerId other) {
    backoff = peer.config().reconnectMin();
    first.complete(other);
  }

  /** The connection dropped; the close listener schedules the retry. */
  void disconnected() {}

  /**
   * The other side refused this peer: retrying would be refused again, except when another live
   * connection holds this peer's id there ({@code remote/peer-id-in-use}): that may be this
   * peer's own dropped connection, not noticed over there yet, so the dialer keeps trying.
   */
  void rejected(DatahopException error) {
    if (Link.ID_IN_USE.equals(error.code())) {
      LOG.warn("{}:{} holds a live connection under this peer's id {}; retrying in {}", host, port, peer.id(), backoff);
      return;
    }
    stopped = true;
    first.completeExceptionally(error);
  }

  void stop() {
    stopped = true;
    Channel c = channel;
    if (c != null) {
      c.close();
    }
    first.completeExceptionally(new DatahopException.Unavailable("remote/closed", "peer " + peer.id() + " was closed before connecting to " + host + ":" + port));
  }
}
