package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.query.Datalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QueryInBodyBoundsTest} across a process boundary: a long query and a recursive rule in a
 * body on a second JVM ({@link TestPeerMain}) stop when this JVM cancels the call and when the
 * call's deadline passes. The body notes in the server process how and when (wall clock, the
 * same machine's) its query ended; later calls read that back.
 */
@RemoteScope
class QueryInBodyProcessTest {
  private static final long SLACK_MS = 3_000;

  /** Server-side notes about the last body's query. */
  static final AtomicReference<String> ENDED_WITH = new AtomicReference<>();
  static final AtomicLong STARTED_MS = new AtomicLong();
  static final AtomicLong ENDED_MS = new AtomicLong();

  @TempDir static Path dir;
  static ChildPeer child;
  static Peer client;
  static PeerId server;

  @BeforeAll
  static void start() throws Exception {
    child = ChildPeer.start(dir, "server", 0);
    client = Peer.builder().id(PeerId.of("client")).build();
    server = client.connect("127.0.0.1", child.port).get(30, TimeUnit.SECONDS);
    // load and compile the engine there first: the first rule query of a fresh C1-only JVM spends
    // hundreds of ms loading classes, which is not what these tests measure
    int small = 50;
    for (int i = 0; i < 20; i++) {
      client.on(server, () -> (Long) crossJoin(small) + (Long) transitiveClosure(small)).get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (child != null) {
      child.close();
    }
  }

  static boolean reset() {
    ENDED_WITH.set(null);
    STARTED_MS.set(0);
    ENDED_MS.set(0);
    return true;
  }

  static Object observed(String query, Object... inputs) {
    STARTED_MS.set(System.currentTimeMillis());
    try {
      return Datalog.q(query, inputs);
    } catch (DatahopException e) {
      ENDED_WITH.set(e.code());
      throw e;
    } finally {
      ENDED_MS.set(System.currentTimeMillis());
    }
  }

  static Object crossJoin(int n) {
    List<List<Object>> vs = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      vs.add(List.of(i, Keyword.of("v"), i));
    }
    return observed("[:find (count ?a) . :in $ :where [_ :v ?a] [_ :v ?b] [_ :v ?c] [(< ?a ?b ?c)]]", vs);
  }

  static Object transitiveClosure(int n) {
    List<List<Object>> edges = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      edges.add(List.of(i, i + 1));
    }
    return observed("[:find (count ?b) . :in $ % :where (reach 0 ?b)]", edges,
        "[[(reach ?a ?b) [?a ?b]] [(reach ?a ?c) (reach ?a ?b) [?b ?c]]]");
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static void awaitStarted() throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (await(client.on(server, () -> STARTED_MS.get())) == 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
  }

  /** Waits for the server's note that the query ended; asserts how and how late after {@code dueMs}. */
  private static void assertEnded(long dueMs, String... codes) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (await(client.on(server, () -> ENDED_MS.get())) == 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    long started = await(client.on(server, () -> STARTED_MS.get()));
    long ended = await(client.on(server, () -> ENDED_MS.get()));
    String with = await(client.on(server, () -> ENDED_WITH.get()));
    long late = ended - Math.max(dueMs, started);
    System.out.printf("QueryInBodyProcessTest: the server's query ended with %s %d ms late%n", with, late);
    assertThat(ended).as("the server's query ended").isPositive();
    assertThat(late).isLessThan(SLACK_MS);
    assertThat(with).isIn((Object[]) codes);
  }

  @Test
  void cancellingStopsALongQueryAndARecursiveRuleInTheOtherProcess() throws Exception {
    int n = 3_000;
    int edges = 1_000_000;
    for (SerializableCallable<Object> body : List.<SerializableCallable<Object>>of(() -> crossJoin(n), () -> transitiveClosure(edges))) {
      assertThat(await(client.on(server, () -> reset()))).isTrue();
      CompletableFuture<Object> f = client.on(server, Duration.ofMinutes(5), body);
      awaitStarted();
      Thread.sleep(200);
      long cancelledAt = System.currentTimeMillis();
      assertThat(f.cancel(true)).isTrue();
      assertEnded(cancelledAt, "query/cancelled");
    }
  }

  @Test
  void theDeadlineStopsALongQueryInTheOtherProcess() throws Exception {
    int n = 3_000;
    int edges = 1_000_000;
    for (SerializableCallable<Object> body : List.<SerializableCallable<Object>>of(() -> crossJoin(n), () -> transitiveClosure(edges))) {
      assertThat(await(client.on(server, () -> reset()))).isTrue();
      long calledAt = System.currentTimeMillis();
      CompletableFuture<Object> f = client.on(server, Duration.ofMillis(800), body);
      Throwable failure = Failures.of(f, 30);
      Throwable cause = failure instanceof RemoteException && failure.getCause() != null ? failure.getCause() : failure;
      assertThat(((DatahopException) cause).code()).isIn("remote/deadline", "query/timeout");
      // the body's own deadline and the Cancel the caller sends at its deadline race: either stops it
      assertEnded(calledAt + 800, "query/timeout", "query/cancelled");
    }
  }
}
