package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Framing, handshake and dispatch between two peers over an in-memory pipe: the whole protocol
 * except the socket. Both peers live in this JVM, so bodies share its static state, which lets a
 * test see whether and how a body ran.
 */
@RemoteScope
class PeerOverPipeTest {
  static final AtomicInteger RUNNING = new AtomicInteger();
  static volatile CountDownLatch started = new CountDownLatch(1);
  static volatile CountDownLatch interrupted = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  private final List<Peer> peers = new ArrayList<>();
  private final List<MemoryPipe> pipes = new ArrayList<>();

  private Peer peer(String name, Peer.Builder b) {
    Peer p = b.id(PeerId.of(name)).build();
    peers.add(p);
    return p;
  }

  private Peer peer(String name) {
    return peer(name, Peer.builder());
  }

  private MemoryPipe connect(Peer x, Peer y) throws InterruptedException {
    MemoryPipe pipe = MemoryPipe.connect(x, y);
    pipes.add(pipe);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!(x.connectedPeers().contains(y.id()) && y.connectedPeers().contains(x.id())) && System.nanoTime() < until) {
      Thread.sleep(2);
    }
    return pipe;
  }

  @AfterEach
  void close() {
    pipes.forEach(MemoryPipe::close);
    peers.forEach(Peer::close);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    return Failures.of(f, 10);
  }

  @Test
  void aBodyRunsOnTheTargetWithItsCapturedValues() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    int x = 20;
    String greeting = "hello";
    String result = a.on(b.id(), () -> greeting + " " + (x * 2) + " from " + Remote.self().name() + " called by " + Remote.caller().name())
        .get(10, TimeUnit.SECONDS);
    assertThat(result).isEqualTo("hello 40 from b called by a");
  }

  @Test
  void nullComesBackAsNull() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    boolean empty = true;
    assertThat(a.on(b.id(), () -> null).get(10, TimeUnit.SECONDS)).isNull();
    assertThat(a.on(b.id(), () -> empty ? null : "x").get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void bodiesHopBackAndForthWithoutPlumbing() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    PeerId ida = a.id();
    PeerId idb = b.id();
    String path = a.on(idb, () -> {
      String p1 = "a>" + Remote.self().name();
      return Remote.on(ida, () -> {
        String p2 = p1 + ">" + Remote.self().name();
        return Remote.on(idb, () -> p2 + ">" + Remote.self().name()).join();
      }).join();
    }).get(10, TimeUnit.SECONDS);
    assertThat(path).isEqualTo("a>b>a>b");
  }

  @Test
  void aBodyHopsThroughThreePeersAndBackToItsCaller() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    Peer c = peer("c");
    connect(a, b);
    connect(b, c);
    connect(c, a);
    PeerId ida = a.id();
    PeerId idc = c.id();
    String path = a.on(b.id(), () -> {
      String atB = "a>" + Remote.self().name();
      return Remote.on(idc, () -> {
        String atC = atB + ">" + Remote.self().name();
        return Remote.on(ida, () -> atC + ">" + Remote.self().name() + " (called by " + Remote.caller().name() + ")").join();
      }).join();
    }).get(10, TimeUnit.SECONDS);
    assertThat(path).isEqualTo("a>b>c>a (called by c)");
  }

  @Test
  void anExceptionComesBackAsARemoteExceptionWithClassMessageAndStack() {
    Peer a = peer("a");
    Peer b = peer("b");
    assertThat(connectQuietly(a, b)).isTrue();
    Throwable t = failure(a.on(b.id(), () -> {
      throw new IllegalStateException("outer", new ArithmeticException("inner"));
    }));
    assertThat(t).isInstanceOf(RemoteException.class);
    RemoteException r = (RemoteException) t;
    assertThat(r.remoteClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(r.remoteMessage()).isEqualTo("outer");
    assertThat(r.peer()).isEqualTo(b.id());
    io.datahop.wire.RemoteException thrown = (io.datahop.wire.RemoteException) r.getCause();
    assertThat(thrown.getStackTrace()).anySatisfy(f -> assertThat(f.getClassName()).isEqualTo(PeerOverPipeTest.class.getName()));
    io.datahop.wire.RemoteException inner = (io.datahop.wire.RemoteException) thrown.getCause();
    assertThat(inner.remoteClass()).isEqualTo("java.lang.ArithmeticException");
    assertThat(inner.remoteMessage()).isEqualTo("inner");

    Throwable d = failure(a.on(b.id(), () -> {
      throw new DatahopException.NotFound("store/not-found", "no such store");
    }));
    RemoteException rd = (RemoteException) d;
    assertThat(rd.code()).contains("store/not-found");
    assertThat(rd.datahopError()).get().isInstanceOf(DatahopException.NotFound.class);
  }

  private boolean connectQuietly(Peer x, Peer y) {
    try {
      connect(x, y);
      return x.connectedPeers().contains(y.id());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBodyFromAClassThePeerDoesNotAllowIsRefusedAndNeverRuns() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    UnlistedBodies.RAN.set(0);
    Throwable t = failure(a.on(b.id(), UnlistedBodies.body()));
    assertThat(t).isInstanceOf(DatahopException.Incorrect.class);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/lambda-not-allowed");
    assertThat(t.getMessage()).contains(UnlistedBodies.class.getName()).contains("@RemoteScope");
    assertThat(UnlistedBodies.RAN.get()).isZero();

    // the same class, once registered, is allowed
    Peer c = peer("c", Peer.builder().allow(UnlistedBodies.class));
    connect(a, c);
    assertThat(a.on(c.id(), UnlistedBodies.body()).get(10, TimeUnit.SECONDS)).isEqualTo("ran");
  }

  @Test
  void aPeerWithDifferentCodeRefusesTheCall() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    SerializableCallable<String> body = () -> "never";
    Captured real = LambdaCapture.capture(body, a.codec());
    byte[] other = real.lambda().fingerprint().clone();
    other[0] ^= 1;
    LambdaRef r = real.lambda();
    LambdaRef forged = new LambdaRef(r.capturingClass(), r.functionalInterfaceClass(), r.functionalInterfaceMethodName(),
        r.functionalInterfaceMethodSignature(), r.implMethodKind(), r.implClass(), r.implMethodName(), r.implMethodSignature(),
        r.instantiatedMethodType(), other);
    PendingCall call = new PendingCall(1_000_000, b.id(), new Captured(forged, real.args()), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    a.linkTo(b.id()).send(call);
    Throwable t = failure(call.future);
    assertThat(t).isInstanceOf(DatahopException.Unsupported.class);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/code-mismatch");
    assertThat(t.getMessage()).contains("different code").contains(PeerOverPipeTest.class.getName());

    LambdaRef wrongMethod = new LambdaRef(r.capturingClass(), r.functionalInterfaceClass(), r.functionalInterfaceMethodName(),
        r.functionalInterfaceMethodSignature(), r.implMethodKind(), r.implClass(), "lambda$nothing$99", r.implMethodSignature(),
        r.instantiatedMethodType(), r.fingerprint());
    PendingCall call2 = new PendingCall(1_000_001, b.id(), new Captured(wrongMethod, real.args()), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    a.linkTo(b.id()).send(call2);
    assertThat(((DatahopException) failure(call2.future)).code()).isEqualTo("remote/code-mismatch");
  }

  @Test
  void aValueThatCannotTravelIsRefusedAtTheCallSiteBeforeAnythingIsSent() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    MemoryPipe pipe = connect(a, b);
    int before = pipe.a.sent.get();
    Socket socket = new Socket();
    Opaque opaque = new Opaque(1);
    assertThatThrownBy(() -> a.on(b.id(), () -> socket.isClosed()))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("cannot capture java.net.Socket")
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("remote/capture-not-transferable"));
    assertThatThrownBy(() -> a.on(b.id(), () -> opaque.hashCode()))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("cannot capture " + Opaque.class.getName());
    assertThatThrownBy(() -> a.on(b.id(), () -> this.toString()))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("cannot capture " + PeerOverPipeTest.class.getName())
        .hasMessageContaining("enclosing instance (this)");
    Thread.sleep(50);
    assertThat(pipe.a.sent.get()).isEqualTo(before);
    socket.close();
  }

  @Test
  void aCallPastItsDeadlineFailsAndItsBodyIsInterrupted() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    interrupted = new CountDownLatch(1);
    Throwable t = failure(a.on(b.id(), Duration.ofMillis(200), () -> {
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return "late";
    }));
    assertThat(t).isInstanceOf(DatahopException.Unavailable.class);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/deadline");
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void cancellingTheCallersFutureInterruptsTheRemoteBody() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    started = new CountDownLatch(1);
    interrupted = new CountDownLatch(1);
    CompletableFuture<String> f = a.on(b.id(), () -> {
      started.countDown();
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return "done";
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    f.cancel(true);
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aLostConnectionFailsEveryCallInFlightPromptly() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    MemoryPipe pipe = connect(a, b);
    started = new CountDownLatch(3);
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(a.on(b.id(), () -> {
        started.countDown();
        Thread.sleep(20_000);
        return "done";
      }));
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    pipe.close();
    for (CompletableFuture<String> f : calls) {
      Throwable t = failure(f);
      assertThat(((DatahopException) t).code()).isEqualTo("remote/connection-lost");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aCallToAPeerNotYetConnectedWaitsForIt() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    CompletableFuture<String> f = a.on(b.id(), () -> "late but fine");
    Thread.sleep(100);
    assertThat(f).isNotDone();
    connect(a, b);
    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("late but fine");

    Peer late = peer("late");
    Throwable t = failure(a.on(late.id(), Duration.ofMillis(150), () -> "x"));
    assertThat(((DatahopException) t).code()).isEqualTo("remote/deadline");
    assertThat(t.getMessage()).contains("not connected");
    // the call that gave up is not sent when the peer finally connects
    RUNNING.set(0);
    Throwable u = failure(a.on(late.id(), Duration.ofMillis(100), () -> RUNNING.incrementAndGet()));
    assertThat(((DatahopException) u).code()).isEqualTo("remote/deadline");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (a.waitingFor(late.id()) > 0 && System.nanoTime() < until) {
      Thread.sleep(5); // the caller may wake before the future's own callbacks ran
    }
    assertThat(a.waitingFor(late.id())).as("calls that gave up are not kept for the peer").isZero();
    connect(a, late);
    assertThat(a.on(late.id(), () -> "now").get(10, TimeUnit.SECONDS)).isEqualTo("now");
    assertThat(RUNNING.get()).isZero();
  }

  @Test
  void aSharedSecretAuthenticatesPeersAndNamesThePrincipal() throws Exception {
    Peer a = peer("a", Peer.builder().sharedSecret("correct horse battery staple"));
    Peer b = peer("b", Peer.builder().sharedSecret("correct horse battery staple"));
    connect(a, b);
    assertThat(a.on(b.id(), () -> Remote.principal().orElse("none")).get(10, TimeUnit.SECONDS)).isEqualTo("a");
    assertThat(b.on(a.id(), () -> Remote.principal().orElse("none")).get(10, TimeUnit.SECONDS)).isEqualTo("b");
  }

  @Test
  void aPeerWithoutTheSecretIsRejectedAndItsCallsFailClearly() throws Exception {
    Peer server = peer("server", Peer.builder().sharedSecret("correct horse battery staple"));
    Peer intruder = peer("intruder");
    CompletableFuture<String> call = intruder.on(server.id(), () -> "should not run");
    pipes.add(MemoryPipe.connect(intruder, server));
    Throwable t = failure(call);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/auth-rejected");
    assertThat(t.getMessage()).contains("rejected by peer server").contains("intruder").contains("failed authentication");
    assertThat(server.connectedPeers()).isEmpty();

    Peer forger = peer("forger", Peer.builder().sharedSecret("wrong horse battery staple!"));
    CompletableFuture<String> forged = forger.on(server.id(), () -> "should not run");
    pipes.add(MemoryPipe.connect(forger, server));
    Throwable f = failure(forged);
    assertThat(((DatahopException) f).code()).isEqualTo("remote/auth-rejected");
    assertThat(f.getMessage()).contains("failed authentication");
    assertThat(server.connectedPeers()).isEmpty();
  }

  @Test
  void callsBeyondMaxInFlightQueueAndBeyondTheQueueFailAsOverloaded() throws Exception {
    Peer a = peer("a", Peer.builder().maxInFlight(2).maxQueued(2));
    Peer b = peer("b", Peer.builder().maxConcurrentBodies(2));
    connect(a, b);
    RUNNING.set(0);
    release = new CountDownLatch(1);
    List<CompletableFuture<Long>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      long n = i;
      calls.add(a.on(b.id(), () -> {
        int now = RUNNING.incrementAndGet();
        MAX.accumulateAndGet(now, Math::max);
        release.await();
        RUNNING.decrementAndGet();
        return n;
      }));
    }
    Throwable t = failure(a.on(b.id(), () -> -1L));
    assertThat(((DatahopException) t).code()).isEqualTo("remote/overloaded");
    Thread.sleep(100);
    assertThat(RUNNING.get()).isEqualTo(2);
    release.countDown();
    List<Long> results = new ArrayList<>();
    for (CompletableFuture<Long> f : calls) {
      results.add(f.get(10, TimeUnit.SECONDS));
    }
    assertThat(results).containsExactly(0L, 1L, 2L, 3L);
    assertThat(MAX.get()).isLessThanOrEqualTo(2);
  }

  static final AtomicInteger MAX = new AtomicInteger();

  /** A type no codec handler knows. */
  record Opaque(int n) {}

  @Test
  void aCallToThePeerItselfRunsLocallyWithoutEncoding() throws Exception {
    Peer a = peer("a");
    Object local = new Object();
    assertThat(a.on(a.id(), () -> local.getClass().getName() + "@" + Remote.self().name() + " virtual=" + Thread.currentThread().isVirtual())
        .get(10, TimeUnit.SECONDS)).isEqualTo("java.lang.Object@a virtual=true");
  }

  @Test
  void capturedPrimitivesAndArraysKeepTheirTypes() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    int i = 7;
    short s = 3;
    float f = 1.5f;
    byte[] bytes = {1, 2, 3};
    String out = a.on(b.id(), () -> (i + s) + ":" + (f * 2) + ":" + Arrays.toString(bytes)).get(10, TimeUnit.SECONDS);
    assertThat(out).isEqualTo("10:3.0:[1, 2, 3]");
  }
}
