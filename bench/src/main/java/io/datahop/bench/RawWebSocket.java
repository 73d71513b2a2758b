package io.datahop.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The baseline of the hop benchmark: a plain Netty WebSocket echo (the same pipeline a peer
 * uses, minus the peer), so the benchmark can show what the remote layer adds on top.
 */
final class RawWebSocket {
  private RawWebSocket() {}

  /** Echoes every binary frame; returns the bound port. */
  static int echoServer(EventLoopGroup group) throws InterruptedException {
    Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new WebSocketServerProtocolHandler("/raw"),
                new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame f) {
                    ctx.writeAndFlush(new BinaryWebSocketFrame(f.content().retain()));
                  }
                });
          }
        }).bind(0).sync().channel();
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  /** A client whose {@link #ping()} sends one small frame and completes when its echo arrives. */
  static final class Client {
    private final Channel channel;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    private final byte[] payload = new byte[48];

    Client(EventLoopGroup group, int port) throws Exception {
      CompletableFuture<Void> ready = new CompletableFuture<>();
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                  new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                      .webSocketUri(URI.create("ws://127.0.0.1:" + port + "/raw")).build()),
                  new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                        ready.complete(null);
                      }
                    }

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame f) {
                      waiting.poll().complete(null);
                    }
                  });
            }
          }).connect("127.0.0.1", port).sync().channel();
      ready.get();
    }

    CompletableFuture<Void> ping() {
      CompletableFuture<Void> f = new CompletableFuture<>();
      waiting.add(f);
      channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
      return f;
    }

    void close() {
      channel.close().syncUninterruptibly();
    }
  }
}
