package io.datahop.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random model test: random facts go into a database and into a plain collection of
 * tuples; random queries (joins, constants, predicates, not, or, aggregates) must give the same
 * answer on both sources and with their clauses in any order, so index seeks, hash joins and
 * every clause ordering the planner may pick agree. Queries project values only (entity ids
 * differ between the two sources). Pin a seed with {@code -Ddatahop.seed=N}.
 */
class QueryModelTest {
  private static final String[] ATTRS = {"a", "b", "c"};

  static Stream<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) {
      return Stream.of(Long.parseLong(pinned));
    }
    return LongStream.range(1, 21).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void databaseAndCollectionAgreeInEveryClauseOrder(long seed) {
    Random rnd = new Random(seed);
    String uri = "mem:model-" + UUID.randomUUID();
    Databases.create(uri);
    try (Connection conn = Databases.connect(uri)) {
      conn.transact(
          "[{:db/ident :a :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/index true}"
              + " {:db/ident :b :db/valueType :db.type/long :db/cardinality :db.cardinality/many}"
              + " {:db/ident :c :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
      List<List<Object>> tuples = new ArrayList<>();
      List<Object> tx = new ArrayList<>();
      int entities = 10 + rnd.nextInt(30);
      for (long e = 1; e <= entities; e++) {
        Map<Object, Object> ent = new HashMap<>();
        for (String a : ATTRS) {
          if (rnd.nextInt(4) == 0) {
            continue;
          }
          if (a.equals("b")) {
            Set<Long> vs = new LinkedHashSet<>();
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
              vs.add((long) rnd.nextInt(6));
            }
            ent.put(Keyword.of(a), new ArrayList<>(vs));
            for (Long v : vs) {
              tuples.add(List.of(e, Keyword.of(a), v));
            }
          } else {
            long v = rnd.nextInt(6);
            ent.put(Keyword.of(a), v);
            tuples.add(List.of(e, Keyword.of(a), v));
          }
        }
        if (!ent.isEmpty()) {
          tx.add(ent);
        }
      }
      conn.transact(tx);
      Db db = conn.db();
      for (int qi = 0; qi < 25; qi++) {
        Generated g = generate(rnd);
        String text = g.text(g.clauses);
        Object onDb = Datalog.q(text, db);
        Object onColl = Datalog.q(text, tuples);
        assertThat(onDb).as("seed %d query %s (db vs collection)", seed, text).isEqualTo(onColl);
        List<String> shuffled = new ArrayList<>(g.clauses);
        Collections.shuffle(shuffled, rnd);
        String text2 = g.text(shuffled);
        assertThat(Datalog.q(text2, db)).as("seed %d query %s (reordered)", seed, text2).isEqualTo(onDb);
      }
    }
  }

  /** A random query: its find part and its where clauses. */
  record Generated(String find, List<String> clauses) {
    String text(List<String> where) {
      return "[:find " + find + " :where " + String.join(" ", where) + "]";
    }
  }

  private static String attr(Random r) {
    return ":" + ATTRS[r.nextInt(ATTRS.length)];
  }

  static Generated generate(Random r) {
    List<String> clauses = new ArrayList<>();
    Set<String> valueVars = new LinkedHashSet<>();
    int patterns = 1 + r.nextInt(3);
    for (int i = 0; i < patterns; i++) {
      String e = r.nextInt(3) == 0 ? "?e2" : "?e1";
      if (i == 0) {
        e = "?e1";
      }
      String v;
      if (r.nextInt(5) == 0) {
        v = Long.toString(r.nextInt(6));
      } else {
        v = "?v" + r.nextInt(3);
        valueVars.add(v);
      }
      clauses.add("[" + e + " " + attr(r) + " " + v + "]");
    }
    if (clauses.stream().noneMatch(c -> c.startsWith("[?e2")) && r.nextBoolean()) {
      clauses.add("[?e2 " + attr(r) + " ?v0]");
      valueVars.add("?v0");
    }
    if (valueVars.isEmpty()) {
      clauses.add("[?e1 " + attr(r) + " ?v0]");
      valueVars.add("?v0");
    }
    List<String> vs = new ArrayList<>(valueVars);
    if (r.nextBoolean()) {
      String op = List.of("<", ">", "<=", ">=", "=", "!=").get(r.nextInt(6));
      clauses.add("[(" + op + " " + vs.get(r.nextInt(vs.size())) + " " + r.nextInt(6) + ")]");
    }
    if (r.nextInt(3) == 0) {
      clauses.add("(not [?e1 " + attr(r) + " " + r.nextInt(6) + "])");
    }
    if (r.nextInt(3) == 0) {
      clauses.add("(not-join [?e1] [?e1 " + attr(r) + " ?x] [(> ?x " + r.nextInt(6) + ")])");
    }
    if (r.nextInt(3) == 0) {
      clauses.add(
          "(or [?e1 " + attr(r) + " " + r.nextInt(6) + "] [?e1 " + attr(r) + " " + r.nextInt(6) + "])");
    }
    if (r.nextInt(4) == 0) {
      String v = vs.get(0);
      clauses.add("[(+ " + v + " 1) ?w]");
      vs.add("?w");
    }
    String find;
    if (r.nextInt(4) == 0) {
      String agg = List.of("count", "sum", "max", "min", "count-distinct").get(r.nextInt(5));
      find =
          vs.size() > 1 && r.nextBoolean()
              ? vs.get(0) + " (" + agg + " " + vs.get(1) + ")"
              : "(" + agg + " " + vs.get(0) + ")";
      if (r.nextBoolean()) {
        find = find + " :with ?e1";
      }
    } else {
      Collections.shuffle(vs, r);
      find = String.join(" ", vs.subList(0, 1 + r.nextInt(vs.size())));
    }
    return new Generated(find, clauses);
  }
}
