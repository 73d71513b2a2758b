package io.datahop.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Java API of the engine: Java-data queries, registration, options, explain. */
class QueryApiTest {
  private static Symbol s(String t) {
    return Symbol.of(t);
  }

  private static Keyword k(String t) {
    return Keyword.of(t);
  }

  private static final List<List<Object>> PEOPLE =
      List.of(
          List.of(1, k("name"), "Ivan"),
          List.of(1, k("age"), 30),
          List.of(2, k("name"), "Petr"),
          List.of(2, k("age"), 15));

  @Test
  void queryAsJavaDataWithPlainListsEverywhere() {
    Object q =
        List.of(
            k("find"), s("?n"),
            k("in"), s("$"), s("?min"),
            k("where"),
            List.of(s("?e"), k("name"), s("?n")),
            List.of(s("?e"), k("age"), s("?a")),
            List.of(List.of(s(">="), s("?a"), s("?min"))));
    assertThat(Datalog.q(q, PEOPLE, 18)).isEqualTo(Set.of(List.of("Ivan")));
  }

  @Test
  void javaIntsAreLongs() {
    Object r = Datalog.q("[:find ?e . :where [?e :age 15]]", PEOPLE);
    assertThat(r).isEqualTo(2L);
  }

  @Test
  void registeredFunctionAndPredicate() {
    Datalog.registerFunction("my/twice", args -> ((Long) args.get(0)) * 2);
    Datalog.registerFunction("my/teen?", args -> (Long) args.get(0) < 20);
    try {
      assertThat(Datalog.q("[:find ?n ?d :where [?e :age ?a] [(my/teen? ?a)] [(my/twice ?a) ?d] [?e :name ?n]]", PEOPLE))
          .isEqualTo(Set.of(List.of("Petr", 30L)));
    } finally {
      Datalog.unregister("my/twice");
      Datalog.unregister("my/teen?");
    }
  }

  @Test
  void registeredAggregates() {
    Datalog.registerAggregate("my/concat", vals -> String.join(",", vals.stream().map(String::valueOf).sorted().toList()));
    Datalog.registerAggregate("my/top", (args, vals) -> vals.stream().map(v -> (Long) v).sorted((a, b) -> Long.compare(b, a)).limit((Long) args.get(0)).toList());
    try {
      assertThat(Datalog.q("[:find (my/concat ?n) . :where [_ :name ?n]]", PEOPLE)).isEqualTo("Ivan,Petr");
      assertThat(Datalog.q("[:find (my/top 1 ?a) . :where [_ :age ?a]]", PEOPLE)).isEqualTo(List.of(30L));
    } finally {
      Datalog.unregister("my/concat");
      Datalog.unregister("my/top");
    }
  }

  @Test
  void requestMapWithArgsOffsetAndLimit() {
    Map<Object, Object> req =
        Map.of(
            k("query"), "[:find ?n :in $ :where [_ :name ?n]]",
            k("args"), List.of(PEOPLE),
            k("limit"), 1);
    assertThat((Set<?>) Datalog.q(req)).hasSize(1);
    QueryRequest r = QueryRequest.of("[:find ?n :where [_ :name ?n]]", PEOPLE).withPage(1, 5);
    assertThat((Set<?>) Datalog.q(r)).hasSize(1);
  }

  @Test
  void timeoutStopsALongQuery() {
    List<List<Object>> big = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      big.add(List.of((long) i, k("v"), (long) i));
    }
    QueryRequest r =
        QueryRequest.of("[:find (count ?a) . :where [_ :v ?a] [_ :v ?b] [_ :v ?c] [(< ?a ?b ?c)]]", big)
            .withTimeout(200);
    assertThatThrownBy(() -> Datalog.q(r))
        .isInstanceOf(DatahopException.Unavailable.class)
        .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("query/timeout"));
  }

  @Test
  void explainShowsTheChosenOperatorsInOrder() {
    String uri = "mem:explain-" + UUID.randomUUID();
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}"
              + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
      List<Object> people = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        people.add(Map.of(k("name"), "n" + (i % 50), k("age"), (long) i));
      }
      c.transact(people);
      // written with the unselective clause first; the planner starts from the selective one
      String plan =
          Datalog.explain("[:find ?a :where [?e :age ?a] [?e :name \"n7\"] [(> ?a 10)]]", c.db());
      assertThat(plan).contains("IndexScan AVET [a v] [?e :name \"n7\"]");
      assertThat(plan.indexOf(":name")).isLessThan(plan.indexOf(":age ?a"));
      assertThat(plan).contains("Filter [(> ?a 10)]");
      assertThat(c.db().q("[:find ?a :where [?e :age ?a] [?e :name \"n7\"] [(> ?a 10)]]"))
          .isEqualTo(Set.of(List.of(57L), List.of(107L), List.of(157L)));
    }
  }

  @Test
  void dbQueryAcceptsARequestMapAndDatomsAsASource() {
    String uri = "mem:reqmap-" + UUID.randomUUID();
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact("[{:name \"Ivan\"} {:name \"Petr\"}]");
      Object r =
          c.db()
              .q(
                  Map.of(
                      k("query"), "[:find ?n :in $ ?x :where [_ :name ?n] [(= ?n ?x)]]",
                      k("args"), List.of("Petr")));
      assertThat(r).isEqualTo(Set.of(List.of("Petr")));
      var nameAttr = c.db().attribute(k("name")).id();
      Object fromDatoms =
          Datalog.q(
              "[:find ?v :in $ ?a :where [_ ?a ?v]]",
              c.db().datoms(io.datahop.db.IndexType.AEVT, nameAttr),
              nameAttr);
      assertThat(fromDatoms).isEqualTo(Set.of(List.of("Ivan"), List.of("Petr")));
    }
  }

  @Test
  void errorsNameTheClause() {
    assertThatThrownBy(() -> Datalog.q("[:find ?e :where [?e :age ?a] [(< ?a ?nope)]]", PEOPLE))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("?nope")
        .hasMessageContaining("[(< ?a ?nope)]")
        .satisfies(
            e -> assertThat(((DatahopException) e).context()).containsEntry("clause", "[(< ?a ?nope)]"));
  }
}
