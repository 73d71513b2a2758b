package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote bodies between this JVM ("client") and a second JVM ("server", {@link TestPeerMain}),
 * over a real WebSocket: every hop crosses a process boundary. One server process serves all
 * tests of this class.
 */
@RemoteScope
class RemoteProcessTest {
  /** Set in the server process when a body there was interrupted; read back by a later call. */
  static final AtomicBoolean INTERRUPTED = new AtomicBoolean();

  @TempDir static Path dir;
  static ChildPeer child;
  static Peer client;
  static PeerId server;

  @BeforeAll
  static void start() throws Exception {
    child = ChildPeer.start(dir, "server", 0);
    client = Peer.builder().id(PeerId.of("client")).build();
    server = client.connect("127.0.0.1", child.port).get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (child != null) {
      child.close();
    }
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    return Failures.of(f, 20);
  }

  @Test
  void theServerIsTheOtherProcessAndAnswersWithItsCapturedValues() throws Exception {
    long myPid = ProcessHandle.current().pid();
    long n = 21;
    List<String> words = List.of("hop", "skip");
    Map<String, Object> answer = await(client.on(server, () -> Map.of(
        "pid", ProcessHandle.current().pid(),
        "self", Remote.self().name(),
        "caller", Remote.caller().name(),
        "twice", n * 2,
        "words", String.join("+", words))));
    assertThat(server).isEqualTo(PeerId.of("server"));
    assertThat(answer.get("pid")).isEqualTo(child.process.pid()).isNotEqualTo(myPid);
    assertThat(answer).containsEntry("self", "server").containsEntry("caller", "client").containsEntry("twice", 42L)
        .containsEntry("words", "hop+skip");
  }

  @Test
  void nullResultsComeBackExplicitConditionalAcrossHopsAndMixed() throws Exception {
    PeerId me = client.id();
    Object explicit = await(client.on(server, () -> null));
    assertThat(explicit).isNull();
    boolean none = true;
    assertThat(await(client.on(server, () -> none ? null : "x"))).isNull();
    assertThat(await(client.on(server, () -> !none ? null : "x"))).isEqualTo("x");
    Object hopped = await(client.on(server, () -> Remote.on(me, () -> Remote.on(Remote.caller(), () -> null).join()).join()));
    assertThat(hopped).isNull();
    List<Object> mixed = await(client.on(server, () -> Arrays.<Object>asList(null, 1L, null, "two", null)));
    assertThat(mixed).containsExactly(null, 1L, null, "two", null);
  }

  @Test
  void bodiesHopClientServerClientServer() throws Exception {
    PeerId me = client.id();
    PeerId srv = server;
    List<Object> trail = await(client.on(srv, () -> {
      long serverPid = ProcessHandle.current().pid();
      return Remote.on(me, () -> {
        long clientPid = ProcessHandle.current().pid();
        return Remote.on(srv, () -> Arrays.<Object>asList(Remote.self().name(), serverPid, clientPid, ProcessHandle.current().pid())).join();
      }).join();
    }));
    long serverPid = child.process.pid();
    assertThat(trail).containsExactly("server", serverPid, ProcessHandle.current().pid(), serverPid);
  }

  @Test
  void anExceptionOnTheServerComesBackAsARemoteException() {
    Throwable t = failure(client.on(server, () -> {
      throw new IllegalArgumentException("bad " + ProcessHandle.current().pid(), new IllegalStateException("root"));
    }));
    assertThat(t).isInstanceOf(RemoteException.class);
    RemoteException r = (RemoteException) t;
    assertThat(r.remoteClass()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(r.remoteMessage()).isEqualTo("bad " + child.process.pid());
    assertThat(((io.datahop.wire.RemoteException) r.getCause().getCause()).remoteClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(r.getCause().getStackTrace()).anySatisfy(f -> assertThat(f.getMethodName()).contains("anExceptionOnTheServerComesBack"));
    assertThat(r).hasMessageContaining("[on peer server");

    RemoteException conflict = (RemoteException) failure(client.on(server, () -> {
      throw new DatahopException.Conflict("tx/unique-conflict", "taken", Map.of("attr", ":name"), null);
    }));
    assertThat(conflict.datahopError()).get().isInstanceOf(DatahopException.Conflict.class)
        .satisfies(d -> assertThat(d.code()).isEqualTo("tx/unique-conflict"))
        .satisfies(d -> assertThat(d.context()).containsEntry("attr", ":name"));
  }

  @Test
  void aCallPastItsDeadlineFailsAsUnavailable() {
    long t0 = System.nanoTime();
    Throwable t = failure(client.on(server, Duration.ofMillis(300), () -> {
      Thread.sleep(10_000);
      return "late";
    }));
    assertThat(t).isInstanceOf(DatahopException.Unavailable.class);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/deadline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void cancellingTheCallInterruptsTheBodyOnTheServer() throws Exception {
    assertThat(await(client.on(server, () -> {
      INTERRUPTED.set(false);
      return true;
    }))).isTrue();
    CompletableFuture<String> f = client.on(server, () -> {
      try {
        Thread.sleep(20_000);
        return "finished";
      } catch (InterruptedException e) {
        INTERRUPTED.set(true);
        throw e;
      }
    });
    Thread.sleep(300);
    assertThat(f.cancel(true)).isTrue();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean seen = false;
    while (!seen && System.nanoTime() < until) {
      seen = await(client.on(server, () -> INTERRUPTED.get()));
      Thread.sleep(20);
    }
    assertThat(seen).as("the server's body saw the interrupt").isTrue();
  }

  @Test
  void theServerRefusesABodyFromAClassItDoesNotAllow() {
    Throwable t = failure(client.on(server, UnlistedBodies.body()));
    assertThat(t).isInstanceOf(DatahopException.Incorrect.class);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/lambda-not-allowed");
    assertThat(t).hasMessageContaining("UnlistedBodies").hasMessageContaining("refused by peer server");
  }

  @Test
  void aCaptureThatCannotTravelIsRefusedAtTheCallSite() throws Exception {
    try (Socket socket = new Socket()) {
      assertThatThrownBy(() -> client.on(server, () -> socket.isConnected()))
          .isInstanceOf(DatahopException.Incorrect.class)
          .hasMessageContaining("cannot capture java.net.Socket");
    }
    Thread worker = Thread.currentThread();
    assertThatThrownBy(() -> client.on(server, () -> worker.getName()))
        .hasMessageContaining("cannot capture " + worker.getClass().getName());
  }

  @Test
  void manyConcurrentCallsAllComeBack() throws Exception {
    List<CompletableFuture<Long>> calls = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      long n = i;
      calls.add(client.on(server, () -> n * n));
    }
    for (int i = 0; i < calls.size(); i++) {
      assertThat(await(calls.get(i))).isEqualTo((long) i * i);
    }
  }
}
