package io.datahop.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random model test of recursive rules: reachability over a random graph (with cycles),
 * written left-recursive, right-recursive and through {@code or}, called with the first, the
 * second or no argument bound, must equal a breadth-first search. Pin with {@code
 * -Ddatahop.seed=N}.
 */
class RuleModelTest {
  private static final List<String> RULES =
      List.of(
          "[[(reach ?x ?y) [?x :edge ?y]] [(reach ?x ?y) [?x :edge ?z] (reach ?z ?y)]]",
          "[[(reach ?x ?y) [?x :edge ?y]] [(reach ?x ?y) (reach ?x ?z) [?z :edge ?y]]]",
          "[[(reach ?x ?y) (or-join [?x ?y] [?x :edge ?y] (and [?x :edge ?z] (reach ?z ?y)))]]",
          "[[(reach ?x ?y) (step ?x ?y)] [(reach ?x ?y) (step ?x ?z) (reach2 ?z ?y)]"
              + " [(reach2 ?x ?y) (reach ?x ?y)] [(step ?a ?b) [?a :edge ?b]]]");

  static Stream<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    return pinned != null
        ? Stream.of(Long.parseLong(pinned))
        : LongStream.range(1, 16).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void recursiveRulesEqualBreadthFirstSearch(long seed) {
    Random r = new Random(seed);
    int n = 5 + r.nextInt(25);
    List<List<Object>> edges = new ArrayList<>();
    int m = r.nextInt(n * 2);
    for (int i = 0; i < m; i++) {
      edges.add(List.of((long) r.nextInt(n), Keyword.of("edge"), (long) r.nextInt(n)));
    }
    long from = r.nextInt(n);
    long to = r.nextInt(n);
    Set<List<Object>> all = new HashSet<>();
    for (long s = 0; s < n; s++) {
      for (long t : bfs(edges, s)) {
        all.add(List.of(s, t));
      }
    }
    Set<List<Object>> fromExpected = new HashSet<>();
    Set<List<Object>> toExpected = new HashSet<>();
    for (List<Object> p : all) {
      if (p.get(0).equals(from)) {
        fromExpected.add(List.of(p.get(1)));
      }
      if (p.get(1).equals(to)) {
        toExpected.add(List.of(p.get(0)));
      }
    }
    for (String rules : RULES) {
      String ctx = "seed " + seed + " rules " + rules;
      assertThat(Datalog.q("[:find ?y :in $ % ?x :where (reach ?x ?y)]", edges, rules, from))
          .as(ctx + " from " + from)
          .isEqualTo(fromExpected);
      assertThat(Datalog.q("[:find ?x :in $ % ?y :where (reach ?x ?y)]", edges, rules, to))
          .as(ctx + " to " + to)
          .isEqualTo(toExpected);
      assertThat(Datalog.q("[:find ?x ?y :in $ % :where (reach ?x ?y)]", edges, rules))
          .as(ctx + " all")
          .isEqualTo(all);
    }
  }

  private static Set<Long> bfs(List<List<Object>> edges, long start) {
    Set<Long> seen = new HashSet<>();
    ArrayDeque<Long> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      long x = queue.poll();
      for (List<Object> e : edges) {
        if (e.get(0).equals(x) && seen.add((Long) e.get(2))) {
          queue.add((Long) e.get(2));
        }
      }
    }
    return seen;
  }
}
