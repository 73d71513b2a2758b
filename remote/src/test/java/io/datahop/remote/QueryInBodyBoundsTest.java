package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.query.Datalog;
import io.datahop.query.QueryDeadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A query in a remote body stops when its caller cancels and when the call's deadline passes —
 * also when the caller's Cancel never arrives (the receiver holds it back here), because the
 * body's queries run under its deadline ({@link QueryDeadline}); subqueries share it. Two peers
 * over an in-memory pipe in this JVM, so the test sees how and when each body's query ended.
 * Unbounded, each query here runs for minutes; the bounds on how soon it stops allow for a
 * loaded 2-core machine.
 */
@RemoteScope
class QueryInBodyBoundsTest {
  private static final long SLACK_MS = 3_000;

  static volatile CountDownLatch started;
  static volatile CountDownLatch ended;
  static volatile String endedWith;
  static volatile long endedAt;
  static volatile long queryStartedAt;

  private final List<Peer> peers = new ArrayList<>();
  private final List<MemoryPipe> pipes = new ArrayList<>();

  private Peer peer(String name) {
    Peer p = Peer.builder().id(PeerId.of(name)).build();
    peers.add(p);
    return p;
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

  /** The engine's first rule query in a JVM spends a while loading classes: not what is measured here. */
  @BeforeAll
  static void warmUp() {
    for (int i = 0; i < 20; i++) {
      reset();
      crossJoin(50);
      transitiveClosure(50);
    }
  }

  @AfterEach
  void close() {
    pipes.forEach(MemoryPipe::close);
    peers.forEach(Peer::close);
  }

  private static void reset() {
    started = new CountDownLatch(1);
    ended = new CountDownLatch(1);
    endedWith = null;
    endedAt = 0;
    queryStartedAt = 0;
  }

  /** Runs {@code query} as a body does, noting when and how it ended. */
  static Object observed(String query, Object... inputs) {
    queryStartedAt = System.nanoTime();
    started.countDown();
    try {
      return Datalog.q(query, inputs);
    } catch (DatahopException e) {
      endedWith = e.code();
      throw e;
    } catch (RuntimeException e) {
      endedWith = e.toString();
      throw e;
    } finally {
      endedAt = System.nanoTime();
      ended.countDown();
    }
  }

  /** A three-way join of {@code n} tuples: n^3 rows. */
  static Object crossJoin(int n) {
    List<List<Object>> vs = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      vs.add(List.of(i, Keyword.of("v"), i));
    }
    return observed("[:find (count ?a) . :in $ :where [_ :v ?a] [_ :v ?b] [_ :v ?c] [(< ?a ?b ?c)]]", vs);
  }

  /** Reachability along a chain of {@code n} edges: n semi-naive rounds of the fixpoint. */
  static Object transitiveClosure(int n) {
    List<List<Object>> edges = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      edges.add(List.of(i, i + 1));
    }
    return observed("[:find (count ?b) . :in $ % :where (reach 0 ?b)]", edges,
        "[[(reach ?a ?b) [?a ?b]] [(reach ?a ?c) (reach ?a ?b) [?b ?c]]]");
  }

  /** The cross join as a subquery of a query without a timeout of its own. */
  static Object crossJoinAsSubquery(int n) {
    List<List<Object>> vs = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      vs.add(List.of(i, Keyword.of("v"), i));
    }
    return observed("[:find ?n . :in $ :where [(q (quote [:find (count ?a) . :where [_ :v ?a] [_ :v ?b] [_ :v ?c]"
        + " [(< ?a ?b ?c)]]) $) ?n]]", vs);
  }

  /**
   * The code a failed call failed with: the caller's own deadline, or — when the body's query
   * reached the same deadline first and its failure came back before the caller's timer fired
   * (a 5 ms wheel) — the body's error inside the RemoteException.
   */
  private static String code(Throwable failure) {
    Throwable t = failure instanceof RemoteException && failure.getCause() != null ? failure.getCause() : failure;
    assertThat(t).isInstanceOf(DatahopException.class);
    return ((DatahopException) t).code();
  }

  private static void assertEndedWithin(long sinceNanos, long boundMs, String... codes) throws InterruptedException {
    assertThat(ended.await(60, TimeUnit.SECONDS)).as("the body's query ended").isTrue();
    // the body builds its data before the query starts: on a busy machine that can outlast the
    // deadline, and then the query stops at once
    long due = Math.max(sinceNanos + TimeUnit.MILLISECONDS.toNanos(boundMs), queryStartedAt);
    long late = TimeUnit.NANOSECONDS.toMillis(endedAt - due);
    System.out.printf("QueryInBodyBoundsTest: the body's query started %d ms and ended with %s %d ms after the call"
            + " (due after %d ms): %d ms late%n", TimeUnit.NANOSECONDS.toMillis(queryStartedAt - sinceNanos), endedWith,
        TimeUnit.NANOSECONDS.toMillis(endedAt - sinceNanos), boundMs, late);
    assertThat(late).as("the query ended %d ms late", late).isLessThan(SLACK_MS);
    assertThat(endedWith).isIn((Object[]) codes);
  }

  @Test
  void cancellingTheCallStopsALongQueryAndARecursiveRuleInTheBody() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    int n = 3_000;
    int edges = 1_000_000;
    List<SerializableCallable<Object>> bodies = List.of(() -> crossJoin(n), () -> transitiveClosure(edges));
    for (SerializableCallable<Object> body : bodies) {
      reset();
      CompletableFuture<Object> f = a.on(b.id(), Duration.ofMinutes(5), body);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200);
      long cancelledAt = System.nanoTime();
      f.cancel(true);
      assertEndedWithin(cancelledAt, 0, "query/cancelled");
    }
  }

  @Test
  void theCallsDeadlineStopsTheBodysQueryEvenIfTheCancelNeverArrives() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    MemoryPipe pipe = connect(a, b);
    int n = 3_000;
    int edges = 1_000_000;
    List<SerializableCallable<Object>> bodies =
        List.of(() -> crossJoin(n), () -> transitiveClosure(edges), () -> crossJoinAsSubquery(n));
    for (SerializableCallable<Object> body : bodies) {
      reset();
      long calledAt = System.nanoTime();
      CompletableFuture<Object> f = a.on(b.id(), Duration.ofMillis(800), body);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      pipe.b.setReading(false); // b receives nothing more: the Cancel sent at the deadline waits
      assertThat(code(Failures.of(f, 30))).isIn("remote/deadline", "query/timeout");
      assertEndedWithin(calledAt, 800, "query/timeout");
      pipe.b.setReading(true);
    }
  }

  @Test
  void aBodysQueriesRunUnderItsDeadline() throws Exception {
    Peer a = peer("a");
    Peer b = peer("b");
    connect(a, b);
    long before = System.nanoTime();
    long deadline = a.on(b.id(), Duration.ofSeconds(20), () -> QueryDeadline.current().orElse(-1)).get(10, TimeUnit.SECONDS);
    assertThat(deadline - before).isPositive().isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(20) + TimeUnit.SECONDS.toNanos(1));
    assertThat(QueryDeadline.current()).isEmpty();
    // the same for a call to the peer itself
    long local = a.on(a.id(), Duration.ofSeconds(20), () -> QueryDeadline.current().orElse(-1)).get(10, TimeUnit.SECONDS);
    assertThat(local - before).isPositive().isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(21));
  }

  @Test
  void aLocalCallsDeadlineStopsItsQuery() throws Exception {
    Peer a = peer("a");
    int n = 3_000;
    reset();
    long calledAt = System.nanoTime();
    CompletableFuture<Object> f = a.on(a.id(), Duration.ofMillis(500), () -> crossJoin(n));
    assertThat(code(Failures.of(f, 30))).isIn("remote/deadline", "query/timeout");
    // the deadline interrupts the body, and its query has the same deadline: whichever comes first
    assertEndedWithin(calledAt, 500, "query/cancelled", "query/timeout");
  }
}
