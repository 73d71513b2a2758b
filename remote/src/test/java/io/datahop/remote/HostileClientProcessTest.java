package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial suite of issue 15: hostile clients that are not datahop peers (raw WebSockets,
 * raw sockets) against a real server process with a small heap ({@code -Xmx256m}) and a shared
 * secret, while an honest peer keeps calling it. Each attack must be refused with a reason in the
 * server's log, the server's live heap (measured after GC by a remote call) must stay bounded,
 * and the honest peer must be served correctly before, during and after. Loopback only.
 */
@RemoteScope
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileClientProcessTest {
  static final String SECRET = "a secret the honest peers share";
  /** Live heap the attacks may add to the server's, at most. */
  static final long HEAP_SLACK = 48L << 20;

  @TempDir static Path dir;
  static ChildPeer server;
  static Peer honest;
  static PeerId serverId;
  static long baseline;
  static final List<Long> heaps = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = ChildPeer.start(dir, "guarded", 0, List.of("-Xmx256m"), "--secret", SECRET,
        "--handshake-timeout-ms", "2000", "--max-connections", "48,16");
    honest = Peer.builder().id(PeerId.of("honest")).sharedSecret(SECRET).build();
    serverId = honest.connect("127.0.0.1", server.port).get(30, TimeUnit.SECONDS);
    assertServed();
    baseline = HeapProbe.liveHeap(honest, serverId);
    System.out.println("server live heap at start: " + (baseline >> 10) + " KiB");
  }

  @AfterAll
  static void stop() throws Exception {
    System.out.println("server live heap after each attack (KiB): " + heaps.stream().map(h -> h >> 10).toList()
        + ", baseline " + (baseline >> 10));
    if (honest != null) {
      honest.close();
    }
    if (server != null) {
      // the reasons the server logged, one line per kind, for the record
      server.output().lines().filter(l -> l.contains("WARN"))
          .map(l -> l.replaceAll("^\\[[^\\]]*\\] ", "").replaceAll("/127\\.0\\.0\\.1:\\d+", "/127.0.0.1:*").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*"))
          .map(l -> l.length() > 140 ? l.substring(0, 140) : l).distinct().limit(40).forEach(l -> System.out.println("server: " + l));
      server.close();
    }
  }

  /** The honest peer is served: a call with a captured value comes back right. */
  static void assertServed() throws Exception {
    long n = System.nanoTime();
    assertThat(honest.on(serverId, () -> n + 1).get(20, TimeUnit.SECONDS)).isEqualTo(n + 1);
  }

  /** After an attack: the honest peer is served and the server's live heap is within bounds. */
  static void afterAttack(String... loggedReasons) throws Exception {
    assertServed();
    long heap = HeapProbe.liveHeap(honest, serverId);
    heaps.add(heap);
    assertThat(heap).as("server live heap after the attack, baseline " + baseline).isLessThan(baseline + HEAP_SLACK);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String log = server.output();
    while (!Arrays.stream(loggedReasons).allMatch(log::contains) && System.nanoTime() < until) {
      Thread.sleep(50);
      log = server.output();
    }
    for (String reason : loggedReasons) {
      assertThat(log).as("the server's log").contains(reason);
    }
  }

  /** A call of {@code method} in {@code className} (padded by that many characters), with the class's real fingerprint if it has one. */
  private static Message.Call call(long id, String className, String method, int padding) {
    String pad = "x".repeat(padding);
    byte[] fingerprint = className.equals("io/datahop/remote/HeapProbe") ? ClassFingerprints.of(HeapProbe.class) : new byte[32];
    LambdaRef ref = new LambdaRef(className + pad, "io/datahop/remote/SerializableCallable", "call", "()Ljava/lang/Object;", 6,
        className, method, "()Ljava/lang/Object;", "()Ljava/lang/Object;", fingerprint);
    return new Message.Call(id, 30_000, ref, List.of());
  }

  @Test
  @Order(1)
  void aCallBeforeHelloIsRefusedUndecoded() throws Exception {
    try (HostileClient c = HostileClient.connect(server.port)) {
      c.send(call(1, "io/datahop/remote/HeapProbe", "lambda$liveHeap$0", 0));
      Message answer = c.next(Duration.ofSeconds(10));
      assertThat(answer).isInstanceOfSatisfying(Message.Reject.class, r -> assertThat(r.code()).isEqualTo("remote/protocol"));
      assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
    afterAttack("sent a frame of type 5 before the handshake completed");
  }

  @Test
  @Order(2)
  void hugeEverDifferentIdentitiesBeforeAndAfterHelloLeaveNothingBehind() throws Exception {
    // 100 calls of 8 MiB, each with identities no other has: the decoder takes no 8 MiB frame
    byte[] huge = FrameCodec.encode(call(1, "io/datahop/Evil", "m", 1000));
    huge = Arrays.copyOf(huge, 8 << 20);
    for (int i = 0; i < 100; i++) {
      huge[100] = (byte) i;
      huge[101] = (byte) (i >> 8);
      try (HostileClient c = HostileClient.connect(server.port)) {
        c.sendRaw(huge);
        assertThat(c.closedWithin(Duration.ofSeconds(10))).as("connection " + i + " closed").isTrue();
      }
    }
    // after a Hello: a 3 KiB call, not decoded; a Hello with a 2 KiB name; a 6 KiB first message
    try (HostileClient c = HostileClient.connect(server.port)) {
      c.send(new Message.Hello(Link.PROTOCOL, HostileClient.uuid(), "mallory", "hostile", HostileClient.nonce()));
      assertThat(c.next(Duration.ofSeconds(10))).isInstanceOf(Message.Hello.class);
      c.send(call(2, "io/datahop/Evil", "m", 3000));
      assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
    try (HostileClient c = HostileClient.connect(server.port)) {
      c.send(new Message.Hello(Link.PROTOCOL, HostileClient.uuid(), "m".repeat(2048), "hostile", HostileClient.nonce()));
      assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
    try (HostileClient c = HostileClient.connect(server.port)) {
      c.send(new Message.Hello(Link.PROTOCOL, HostileClient.uuid(), "mallory", "b".repeat(6000), HostileClient.nonce()));
      assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
    afterAttack("Max frame length of 65536 has been exceeded", "string of length 2048 (limit 1024)",
        "before the handshake completed (limits 4096");
  }

  @Test
  @Order(3)
  void anInsiderCallingEverDifferentBodiesFillsNoCache() throws Exception {
    // it knows the secret, so it gets in; then 3,000 calls of bodies that do not exist, with
    // ~1 KiB identities each: refused, none kept
    try (HostileClient c = HostileClient.connect(server.port)) {
      assertThat(c.handshake(PeerId.of("insider"), serverId, SECRET)).isInstanceOf(Message.Welcome.class);
      int refused = 0;
      for (int i = 0; i < 3000; i++) {
        c.send(call(i, "io/datahop/remote/HeapProbe", "lambda$liveHeap$" + i + "x".repeat(900), 0));
        if (i % 100 == 99) {
          for (Message m; (m = c.next(Duration.ofMillis(i == 2999 ? 5000 : 1))) != null; ) {
            refused += m instanceof Message.Refused ? 1 : 0;
            if (refused == 3000) {
              break;
            }
          }
        }
      }
      for (Message m; refused < 3000 && (m = c.next(Duration.ofSeconds(10))) != null; ) {
        refused += m instanceof Message.Refused ? 1 : 0;
      }
      assertThat(refused).isEqualTo(3000);
    }
    afterAttack("refused a call from insider", "cannot rebuild the body io.datahop.remote.HeapProbe.lambda$liveHeap$",
        "20 calls from insider(" + PeerId.of("insider").uuid() + ") refused; further refusals on this connection are logged at DEBUG");
    assertThat(server.output().lines().filter(l -> l.contains("refused a call from insider")).count())
        .as("the log is not flooded").isEqualTo(Dispatcher.LOGGED_REFUSALS);
  }

  @Test
  @Order(4)
  void aRelayedChallengeGetsNoProofFromEitherPeer() throws Exception {
    // bob: a second honest peer with the same secret, listening here
    try (Peer bob = Peer.builder().id(PeerId.of("bob")).sharedSecret(SECRET).build().listen(0);
        HostileClient toServer = HostileClient.connect(server.port);
        HostileClient toBob = HostileClient.connect(bob.port())) {
      // pose as bob to the server, learn its challenge ...
      toServer.send(new Message.Hello(Link.PROTOCOL, bob.id().uuid(), bob.id().name(), "hostile", HostileClient.nonce()));
      Message.Hello serverHello = (Message.Hello) toServer.next(Duration.ofSeconds(10));
      // ... and pose as the server to bob with it, hoping bob proves itself over the server's nonce
      toBob.send(new Message.Hello(Link.PROTOCOL, serverId.uuid(), serverId.name(), "hostile", serverHello.nonce()));
      Message bobHello = toBob.next(Duration.ofSeconds(10));
      assertThat(bobHello).isInstanceOf(Message.Hello.class);
      // reflection: hand the server its own challenge back on a second connection
      try (HostileClient again = HostileClient.connect(server.port)) {
        again.send(new Message.Hello(Link.PROTOCOL, bob.id().uuid(), bob.id().name(), "hostile", serverHello.nonce()));
        assertThat(again.next(Duration.ofSeconds(10))).isInstanceOf(Message.Hello.class);
        assertThat(again.next(Duration.ofMillis(500))).as("the server proves nothing to a dialer that did not prove itself").isNull();
      }
      assertThat(toServer.next(Duration.ofMillis(500))).as("no proof from the server").isNull();
      assertThat(toBob.next(Duration.ofMillis(200))).as("no proof from bob").isNull();
      // what the relay can offer the server is a guess: refused
      toServer.send(new Message.Auth(HostileClient.nonce()));
      assertThat(toServer.next(Duration.ofSeconds(10))).isInstanceOfSatisfying(Message.Reject.class,
          r -> assertThat(r.code()).isEqualTo("remote/auth-rejected"));
      assertThat(bob.connectedPeers()).isEmpty();
    }
    afterAttack("peer bob(" + PeerId.of("bob").uuid() + ") failed authentication: its proof does not match the shared secret");
  }

  @Test
  @Order(5)
  void anInsiderClaimingTheHonestPeersIdIsRefusedAndTheHonestPeerKeepsItsCalls() throws Exception {
    try (HostileClient c = HostileClient.connect(server.port)) {
      Message answer = c.handshake(honest.id(), serverId, SECRET);
      assertThat(answer).isInstanceOfSatisfying(Message.Reject.class, r -> assertThat(r.code()).isEqualTo(Link.ID_IN_USE));
      assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
    // a call the server makes back to "honest" reaches this peer, not the impostor
    long here = ProcessHandle.current().pid();
    long reached = honest.on(serverId, () -> Remote.on(Remote.caller(), () -> ProcessHandle.current().pid()).get(10, TimeUnit.SECONDS))
        .get(20, TimeUnit.SECONDS);
    assertThat(reached).isEqualTo(here);
    afterAttack("peer id honest(" + honest.id().uuid() + ") is held by another live connection");
  }

  @Test
  @Order(6)
  void aCrossOriginUpgradeIsRefused() throws Exception {
    assertThatThrownBy(() -> HostileClient.connect(server.port, Map.of("Origin", "http://evil.example")))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    afterAttack("Origin http://evil.example is not allowed");
  }

  @Test
  @Order(7)
  void aFloodOfConnectionsTakesNoSlotOfTheHonestPeer() throws Exception {
    List<Socket> flood = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket("127.0.0.1", server.port);
        s.getOutputStream().write("GET /datahop HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)); // and never finish
        flood.add(s);
      }
      assertServed(); // during the flood, on its established connection
      Thread.sleep(2_500); // the handshake deadline frees the slots the flood held
    } finally {
      for (Socket s : flood) {
        s.close();
      }
    }
    // a new honest peer gets in afterwards
    try (Peer late = Peer.builder().id(PeerId.of("late")).sharedSecret(SECRET).build()) {
      PeerId s = late.connect("127.0.0.1", server.port).get(30, TimeUnit.SECONDS);
      assertThat(late.on(s, () -> "in").get(20, TimeUnit.SECONDS)).isEqualTo("in");
    }
    afterAttack("(maxHandshaking 16)", "did not complete the handshake within");
  }
}
