package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The peers' real Netty pipelines (HTTP upgrade, WebSocket frames, the transport handler) joined
 * by two {@link EmbeddedChannel}s instead of a socket. Bodies run inline on the test thread, so
 * every step happens in a fixed order.
 */
@RemoteScope
class WebSocketPipelineTest {
  private final List<Peer> peers = new ArrayList<>();

  /** Runs each task at once on the calling thread: deterministic, no second thread. */
  static ExecutorService inline() {
    return new AbstractExecutorService() {
      private volatile boolean shut;

      @Override
      public void execute(Runnable task) {
        task.run();
      }

      @Override
      public void shutdown() {
        shut = true;
      }

      @Override
      public List<Runnable> shutdownNow() {
        shut = true;
        return List.of();
      }

      @Override
      public boolean isShutdown() {
        return shut;
      }

      @Override
      public boolean isTerminated() {
        return shut;
      }

      @Override
      public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
      }
    };
  }

  private Peer peer(String name) {
    Peer p = Peer.builder().id(PeerId.of(name)).executor(inline()).build();
    peers.add(p);
    return p;
  }

  @AfterEach
  void close() {
    peers.forEach(Peer::close);
  }

  /** Moves bytes both ways until neither side has anything more to say. */
  private static void shuttle(EmbeddedChannel x, EmbeddedChannel y) {
    for (int i = 0; i < 1000; i++) {
      boolean moved = move(x, y) | move(y, x);
      x.runPendingTasks();
      y.runPendingTasks();
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("the two channels never went quiet");
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean any = false;
    for (Object o; (o = from.readOutbound()) != null; ) {
      if (to.isActive()) {
        to.writeInbound(o);
      }
      any = true;
    }
    return any;
  }

  @Test
  void theUpgradeTheHandshakeAndACallTravelAsWebSocketFrames() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    EmbeddedChannel server = new EmbeddedChannel(WebSocketServer.pipeline(b, null));
    EmbeddedChannel client = new EmbeddedChannel(Dialer.pipeline(a, URI.create("ws://b:1" + WebSocketServer.PATH), null, null));
    shuttle(client, server);
    assertThat(a.connectedPeers()).containsExactly(b.id());
    assertThat(b.connectedPeers()).containsExactly(a.id());

    long x = 20;
    CompletableFuture<String> call = a.on(b.id(), () -> Remote.self().name() + ":" + (x + 22));
    assertThat(call).isNotDone();
    shuttle(client, server);
    assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo("b:42");

    CompletableFuture<Object> back = b.on(a.id(), () -> null);
    shuttle(client, server);
    assertThat(back.get(1, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aMalformedFrameClosesTheConnectionAndFailsItsCalls() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    EmbeddedChannel server = new EmbeddedChannel(WebSocketServer.pipeline(b, null));
    EmbeddedChannel client = new EmbeddedChannel(Dialer.pipeline(a, URI.create("ws://b:1" + WebSocketServer.PATH), null, null));
    shuttle(client, server);
    assertThat(b.connectedPeers()).containsExactly(a.id());

    CompletableFuture<String> pending = b.on(a.id(), () -> "unanswered");
    client.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {42, 1, 2, 3})));
    shuttle(client, server);
    assertThat(server.isActive()).isFalse();
    assertThat(b.connectedPeers()).isEmpty();
    assertThat(pending).isCompletedExceptionally();
    assertThat(pending.exceptionNow()).hasMessageContaining("connection to a").hasMessageContaining("was lost");
  }
}
