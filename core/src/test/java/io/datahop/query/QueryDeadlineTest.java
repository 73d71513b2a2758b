package io.datahop.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.edn.Keyword;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Queries stop at their deadline and when their thread is interrupted: scans, joins, rule
 * fixpoints and subqueries, under a query's own timeout or an enclosing {@link QueryDeadline}.
 * Every query here would run for minutes unbounded; the bounds asserted on how soon it stops are
 * generous for a loaded 2-core machine (the engine checks every 1,024 rows, a few hundred µs).
 */
class QueryDeadlineTest {
  /** How long after its deadline or interrupt a query may still run, on a busy machine. */
  private static final long SLACK_MS = 3_000;

  /** 3,000 tuples: a three-way join of them is 2.7 * 10^10 rows. */
  static List<List<Object>> values(int n) {
    List<List<Object>> out = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      out.add(List.of(i, Keyword.of("v"), i));
    }
    return out;
  }

  static final String CROSS_JOIN = "[:find (count ?a) . :in $ :where [_ :v ?a] [_ :v ?b] [_ :v ?c] [(< ?a ?b ?c)]]";

  /** A chain of {@code n} edges as tuples. */
  static List<List<Object>> chain(int n) {
    List<List<Object>> edges = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      edges.add(List.of(i, i + 1));
    }
    return edges;
  }

  /** Left-recursive reachability: one new answer per semi-naive round, so as many rounds as edges. */
  static final String REACH_RULES = "[[(reach ?a ?b) [?a ?b]] [(reach ?a ?c) (reach ?a ?b) [?b ?c]]]";

  static final String REACH = "[:find (count ?b) . :in $ % :where (reach 0 ?b)]";

  private static DatahopException.Unavailable stopped(long boundMs, Runnable query) {
    long start = System.nanoTime();
    DatahopException.Unavailable e = catchThrowableOfType(DatahopException.Unavailable.class, query::run);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(e).as("the query was stopped").isNotNull();
    assertThat(ms).as("stopped after %d ms", ms).isLessThan(boundMs + SLACK_MS);
    return e;
  }

  @Test
  void aRequestTimeoutStopsAJoinOnADbToo() {
    String uri = "mem:deadline-" + UUID.randomUUID();
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact("[{:db/ident :v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
      List<Object> tx = new ArrayList<>();
      for (long i = 0; i < 3_000; i++) {
        tx.add(Map.of(Keyword.of("v"), i));
      }
      c.transact(tx);
      Db db = c.db();
      String q = "[:find (count ?a) . :where [_ :v ?a] [_ :v ?b] [_ :v ?c] [(< ?a ?b ?c)]]";
      // db.q of a request takes the db as $, before the request's own args
      DatahopException.Unavailable e = stopped(200, () -> db.q(QueryRequest.of(q).withTimeout(Duration.ofMillis(200))));
      assertThat(e.code()).isEqualTo("query/timeout");
      assertThat(e.context()).containsEntry("timeout-ms", 200L);
      assertThat(db.q(QueryRequest.of("[:find (count ?e) . :where [?e :v]]").withTimeout(60_000))).isEqualTo(3_000L);
      assertThat(stopped(200, () -> db.q(Map.of(Keyword.of("query"), q, Keyword.of("timeout"), 200))).code())
          .isEqualTo("query/timeout");
    }
  }

  @Test
  void anEnclosingDeadlineStopsAQueryWithoutATimeoutOfItsOwn() {
    List<List<Object>> vs = values(3_000);
    DatahopException.Unavailable e =
        stopped(300, () -> QueryDeadline.within(Duration.ofMillis(300), () -> Datalog.q(CROSS_JOIN, vs)));
    assertThat(e.code()).isEqualTo("query/timeout");
    assertThat(e.context()).containsEntry("deadline", "enclosing");
    // the earlier deadline wins: a query's longer timeout does not extend its scope's
    assertThat(stopped(300, () -> QueryDeadline.within(Duration.ofMillis(300),
        () -> Datalog.q(QueryRequest.of(CROSS_JOIN, vs).withTimeout(600_000)))).code()).isEqualTo("query/timeout");
    // and a shorter timeout inside a long scope is the query's own
    DatahopException.Unavailable own = stopped(200, () -> QueryDeadline.within(Duration.ofMinutes(10),
        () -> Datalog.q(QueryRequest.of(CROSS_JOIN, vs).withTimeout(200))));
    assertThat(own.context()).containsEntry("timeout-ms", 200L);
    assertThat(QueryDeadline.current()).isEmpty();
  }

  @Test
  void anExhaustedScopeRunsNoFurtherQuery() {
    Object r = QueryDeadline.within(Duration.ofMinutes(1), () -> Datalog.q("[:find ?x . :in ?x]", 1L));
    assertThat(r).isEqualTo(1L);
    DatahopException.Unavailable e = catchThrowableOfType(DatahopException.Unavailable.class,
        () -> QueryDeadline.within(Duration.ZERO, () -> Datalog.q("[:find ?x . :in ?x]", 1L)));
    assertThat(e.code()).isEqualTo("query/timeout");
  }

  @Test
  void hugeTimeoutsMeanNone() {
    assertThat(Datalog.q(QueryRequest.of("[:find ?x . :in ?x]", 1L).withTimeout(Long.MAX_VALUE))).isEqualTo(1L);
    assertThat(QueryDeadline.within(Duration.ofSeconds(Long.MAX_VALUE),
        () -> Datalog.q(QueryRequest.of("[:find ?x . :in ?x]", 2L).withTimeout(Duration.ofSeconds(Long.MAX_VALUE)))))
        .isEqualTo(2L);
  }

  @Test
  void aRecursiveRuleStopsBetweenItsRounds() {
    List<List<Object>> edges = chain(1_000_000); // a million rounds: tens of seconds unbounded
    assertThat(Datalog.q(REACH, chain(300), REACH_RULES)).isEqualTo(300L);
    DatahopException.Unavailable e =
        stopped(300, () -> Datalog.q(QueryRequest.of(REACH, edges, REACH_RULES).withTimeout(300)));
    assertThat(e.code()).isEqualTo("query/timeout");
  }

  @Test
  void subqueriesShareTheOuterDeadline() {
    List<List<Object>> vs = values(3_000);
    // the subquery has no timeout of its own; the outer query's 300 ms stop it
    String outer = "[:find ?n . :in $ :where [(ground 1) ?one] [(q (quote " + CROSS_JOIN + ") $) ?n]]";
    DatahopException.Unavailable e = stopped(300, () -> Datalog.q(QueryRequest.of(outer, vs).withTimeout(300)));
    assertThat(e.code()).isEqualTo("query/timeout");
    // a subquery's own longer :timeout does not extend the outer deadline either
    String longer = "[:find ?n . :in $ :where [(q (quote {:query " + CROSS_JOIN + " :timeout 600000}) $) ?n]]";
    assertThat(stopped(300, () -> Datalog.q(QueryRequest.of(longer, vs).withTimeout(300))).code()).isEqualTo("query/timeout");
    assertThat(Datalog.q(QueryRequest.of(
        "[:find ?n . :in $ :where [(q (quote [:find (count ?a) . :where [_ :v ?a]]) $) ?n]]", vs).withTimeout(60_000)))
        .isEqualTo(3_000L);
  }

  @Test
  void anInterruptedQueryStopsAsCancelledAndKeepsTheInterrupt() throws Exception {
    List<List<Object>> vs = values(3_000);
    List<List<Object>> edges = chain(1_000_000);
    for (Runnable query : List.<Runnable>of(() -> Datalog.q(CROSS_JOIN, vs), () -> Datalog.q(REACH, edges, REACH_RULES))) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          query.run();
        } catch (Throwable x) {
          failure.set(x);
          stillInterrupted.set(Thread.currentThread().isInterrupted());
        }
      });
      Thread.sleep(300);
      long interruptedAt = System.nanoTime();
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(60));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt);
      assertThat(t.isAlive()).isFalse();
      assertThat(ms).as("stopped %d ms after the interrupt", ms).isLessThan(SLACK_MS);
      assertThat(failure.get()).isInstanceOf(DatahopException.Unavailable.class);
      assertThat(((DatahopException) failure.get()).code()).isEqualTo("query/cancelled");
      assertThat(stillInterrupted.get()).isTrue();
    }
  }
}
