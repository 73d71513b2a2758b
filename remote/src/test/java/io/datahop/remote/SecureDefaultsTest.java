package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure defaults of issue 15 between peers of this JVM: where a peer listens, mutual
 * authentication (a dialer verifies the acceptor too), ids that cannot be taken over, bodies
 * allowed per method, the per-connection cache of accepted bodies, and TLS with and without
 * client certificates (certificates made at test time).
 */
@RemoteScope
class SecureDefaultsTest {
  static final String SECRET = "correct horse battery staple";

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.Authority otherCa;
  static TestCertificates.Issued serverCert;
  static TestCertificates.Issued clientCert;
  static TestCertificates.Issued strangerCert;

  private final List<Peer> peers = new ArrayList<>();
  private final List<MemoryPipe> pipes = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.authority(dir, "test");
    otherCa = TestCertificates.authority(dir, "other");
    serverCert = TestCertificates.issue(ca, dir, "server");
    clientCert = TestCertificates.issue(ca, dir, "client");
    strangerCert = TestCertificates.issue(otherCa, dir, "stranger");
  }

  private Peer peer(String name, Peer.Builder b) {
    Peer p = b.id(PeerId.of(name)).build();
    peers.add(p);
    return p;
  }

  private MemoryPipe pipe(Peer dialer, Peer acceptor) {
    MemoryPipe p = MemoryPipe.connect(dialer, acceptor);
    pipes.add(p);
    return p;
  }

  private static void awaitConnected(Peer x, PeerId y) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!x.connectedPeers().contains(y) && System.nanoTime() < until) {
      Thread.sleep(2);
    }
    assertThat(x.connectedPeers()).contains(y);
  }

  @AfterEach
  void close() {
    pipes.forEach(MemoryPipe::close);
    peers.forEach(Peer::close);
    executors.forEach(ExecutorService::shutdownNow);
  }

  @Test
  void aPeerListensOnLoopbackUnlessToldAndAnOpenAddressNeedsASecretOrInsecure() {
    Peer plain = peer("plain", Peer.builder()).listen(0);
    assertThat(((InetSocketAddress) plainAddress(plain)).getAddress().isLoopbackAddress()).isTrue();

    Peer open = peer("open", Peer.builder());
    assertThatThrownBy(() -> open.listen("0.0.0.0", 0))
        .isInstanceOfSatisfying(DatahopException.Incorrect.class, e -> assertThat(e.code()).isEqualTo("remote/insecure-listen"))
        .hasMessageContaining("--secret-file").hasMessageContaining("--insecure").hasMessageContaining("sharedSecret");
    assertThat(open.port()).isEqualTo(-1);

    assertThat(peer("guarded", Peer.builder().sharedSecret(SECRET)).listen("0.0.0.0", 0).port()).isPositive();
    assertThat(peer("reckless", Peer.builder().insecure(true)).listen("0.0.0.0", 0).port()).isPositive();
  }

  private static java.net.SocketAddress plainAddress(Peer p) {
    try {
      java.lang.reflect.Field f = Peer.class.getDeclaredField("server");
      f.setAccessible(true);
      return ((io.netty.channel.Channel) f.get(p)).localAddress();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDialerWithASecretRefusesAnAcceptorThatCannotProveIt() {
    Peer server = peer("server", Peer.builder());
    Peer client = peer("client", Peer.builder().sharedSecret(SECRET));
    CompletableFuture<String> call = client.on(server.id(), () -> "must not run");
    pipe(client, server);
    Throwable t = Failures.of(call, 10);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/auth-rejected");
    assertThat(t.getMessage()).contains("server").contains("failed authentication");
    assertThat(client.connectedPeers()).isEmpty();
  }

  @Test
  void aSecondConnectionClaimingALiveIdIsRefusedAndTheFirstKeepsItsCalls() throws Exception {
    for (String secret : new String[] {null, SECRET}) {
      Peer server = peer("server", secret == null ? Peer.builder() : Peer.builder().sharedSecret(secret));
      Peer alice = peer("alice", named("first-alice", secret));
      Peer impostor = peer("alice", named("impostor-alice", secret));
      pipe(alice, server);
      awaitConnected(server, alice.id());
      // its calls keep waiting (a refused id may be a reconnection the server has not noticed) until their deadline
      CompletableFuture<String> refused = impostor.on(server.id(), java.time.Duration.ofSeconds(1), () -> "must not run");
      MemoryPipe p = pipe(impostor, server);
      Throwable t = Failures.of(refused, 10);
      assertThat(((DatahopException) t).code()).as("secret " + secret).isEqualTo("remote/deadline");
      assertThat(p.b.link().isClosed()).as("the server closed the impostor's connection").isTrue();
      assertThat(impostor.connectedPeers()).isEmpty();
      // calls the server makes to alice still reach the first alice
      String ranOn = server.on(alice.id(), () -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
      assertThat(ranOn).startsWith("first-alice");
      pipes.forEach(MemoryPipe::close);
      pipes.clear();
    }
  }

  private Peer.Builder named(String threadName, String secret) {
    ExecutorService e = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName + "-", 0).factory());
    executors.add(e);
    Peer.Builder b = Peer.builder().executor(e);
    return secret == null ? b : b.sharedSecret(secret);
  }

  @Test
  void aClassCanHoldRemoteCallableAndLocalOnlyBodies() throws Exception {
    Peer a = peer("a", Peer.builder());
    Peer b = peer("b", Peer.builder());
    Peer c = peer("c", Peer.builder().allowEntries(NarrowBodies.class, "localOnly"));
    pipe(a, b);
    pipe(a, c);
    assertThat(NarrowBodies.callable(a, b.id(), "x").get(10, TimeUnit.SECONDS)).isEqualTo("callable x");
    Throwable t = Failures.of(NarrowBodies.localOnly(a, b.id(), "y"), 10);
    assertThat(((DatahopException) t).code()).isEqualTo("remote/lambda-not-allowed");
    assertThat(t.getMessage()).contains("localOnly").contains("@RemoteScope");
    // locally it runs, and a peer that registered the entry method runs it too
    assertThat(NarrowBodies.localOnly(a, a.id(), "z").get(10, TimeUnit.SECONDS)).isEqualTo("local-only z");
    assertThat(NarrowBodies.localOnly(a, c.id(), "w").get(10, TimeUnit.SECONDS)).isEqualTo("local-only w");
  }

  @Test
  void aClassACallerNamesIsNotLoadedUnlessItCouldBeRemoteCallable() {
    java.util.Set<String> loaded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        loaded.add(name);
        return super.loadClass(name, resolve);
      }
    };
    LambdaLoader loader = new LambdaLoader(recording, java.util.Set.of());
    for (String name : new String[] {"io/datahop/remote/UnannotatedTarget", "java/lang/ProcessBuilder", "../../etc/passwd", "a b"}) {
      LambdaRef ref = new LambdaRef(name, "io/datahop/remote/SerializableCallable", "call", "()Ljava/lang/Object;", 6, name,
          "lambda$x$0", "()Ljava/lang/Object;", "()Ljava/lang/Object;", new byte[32]);
      assertThatThrownBy(() -> loader.resolve(ref)).isInstanceOfSatisfying(Refusal.class,
          r -> assertThat(r.error().code()).isEqualTo("remote/lambda-not-allowed"));
    }
    assertThat(loaded).doesNotContain("io.datahop.remote.UnannotatedTarget", "java.lang.ProcessBuilder");
    // an annotated class passes the scan and is loaded (then checked as before)
    LambdaRef allowed = new LambdaRef("io/datahop/remote/NarrowBodies", "io/datahop/remote/SerializableCallable", "call",
        "()Ljava/lang/Object;", 6, "io/datahop/remote/NarrowBodies", "lambda$localOnly$0", "()Ljava/lang/Object;", "()Ljava/lang/Object;",
        new byte[32]);
    assertThatThrownBy(() -> loader.resolve(allowed)).isInstanceOfSatisfying(Refusal.class,
        r -> assertThat(r.error().code()).isEqualTo("remote/lambda-not-allowed"));
    assertThat(loaded).contains("io.datahop.remote.NarrowBodies");
  }

  @Test
  void onlyAcceptedBodiesAreCachedPerConnectionWithinItsByteBudget() throws Exception {
    Peer a = peer("a", Peer.builder());
    Peer b = peer("b", Peer.builder());
    MemoryPipe p = pipe(a, b);
    awaitConnected(b, a.id());
    for (int i = 0; i < 20; i++) {
      Failures.of(NarrowBodies.localOnly(a, b.id(), "refused " + i), 10);
    }
    BodyCache cache = p.b.link().bodies();
    assertThat(cache.bytes()).as("refused bodies are not kept").isZero();
    for (int i = 0; i < 20; i++) {
      NarrowBodies.callable(a, b.id(), "ok").get(10, TimeUnit.SECONDS);
    }
    assertThat(cache.bytes()).as("one accepted body, once").isPositive().isLessThan(2_000);

    BodyCache tiny = new BodyCache(1_000);
    LambdaRef ref = new LambdaRef("C", "F", "call", "()Ljava/lang/Object;", 6, "C", "lambda$m$0", "()Ljava/lang/Object;",
        "()Ljava/lang/Object;", new byte[32]);
    for (int i = 0; i < 50; i++) {
      tiny.accepted(new LambdaRef("C" + i, "F", "call", "()Ljava/lang/Object;", 6, "C" + i, "lambda$m$0", "()Ljava/lang/Object;",
          "()Ljava/lang/Object;", new byte[32]), new LambdaLoader.Body(null, null));
    }
    assertThat(tiny.bytes()).isLessThanOrEqualTo(1_000);
    assertThat(tiny.body(ref)).isNull();
  }

  @Test
  void tlsCarriesCallsAndSecretsAndMutualTlsRefusesPeersWithoutAGoodClientCertificate() throws Exception {
    Peer server = peer("tls-server", Peer.builder().sharedSecret(SECRET)
        .tlsCertificate(serverCert.certificate(), serverCert.key())).listen(0);
    Peer client = peer("tls-client", Peer.builder().sharedSecret(SECRET).tlsTrust(ca.certificate()));
    PeerId s = client.connect("127.0.0.1", server.port()).get(20, TimeUnit.SECONDS);
    assertThat(client.on(s, () -> Remote.principal().orElse("none") + " over TLS").get(10, TimeUnit.SECONDS))
        .isEqualTo("tls-client over TLS");

    // a client that does not speak TLS, or trusts another CA, never gets through
    Peer plain = peer("plain-client", Peer.builder().sharedSecret(SECRET)
        .handshakeTimeout(java.time.Duration.ofSeconds(2)).reconnectBackoff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(1)));
    CompletableFuture<PeerId> plainConnect = plain.connect("127.0.0.1", server.port());
    Peer distrustful = peer("distrustful-client", Peer.builder().sharedSecret(SECRET).tlsTrust(otherCa.certificate()));
    CompletableFuture<PeerId> distrustfulConnect = distrustful.connect("127.0.0.1", server.port());

    Peer mutual = peer("mtls-server", Peer.builder().sharedSecret(SECRET)
        .tlsCertificate(serverCert.certificate(), serverCert.key()).tlsTrust(ca.certificate())).listen(0);
    Peer withCert = peer("cert-client", Peer.builder().sharedSecret(SECRET)
        .tlsCertificate(clientCert.certificate(), clientCert.key()).tlsTrust(ca.certificate()));
    PeerId m = withCert.connect("127.0.0.1", mutual.port()).get(20, TimeUnit.SECONDS);
    assertThat(withCert.on(m, () -> "mutual").get(10, TimeUnit.SECONDS)).isEqualTo("mutual");
    Peer noCert = peer("no-cert-client", Peer.builder().sharedSecret(SECRET).tlsTrust(ca.certificate()));
    CompletableFuture<PeerId> noCertConnect = noCert.connect("127.0.0.1", mutual.port());
    Peer wrongCert = peer("wrong-cert-client", Peer.builder().sharedSecret(SECRET)
        .tlsCertificate(strangerCert.certificate(), strangerCert.key()).tlsTrust(ca.certificate()));
    CompletableFuture<PeerId> wrongCertConnect = wrongCert.connect("127.0.0.1", mutual.port());

    Thread.sleep(3_000);
    assertThat(plainConnect).isNotDone();
    assertThat(distrustfulConnect).isNotDone();
    assertThat(noCertConnect).isNotDone();
    assertThat(wrongCertConnect).isNotDone();
    assertThat(server.connectedPeers()).containsExactly(client.id());
    assertThat(mutual.connectedPeers()).containsExactly(withCert.id());
  }
}
