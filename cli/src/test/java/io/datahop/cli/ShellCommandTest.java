package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Edn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shell in batch mode: one EDN result per command, errors reported and survived. */
class ShellCommandTest {
  private static List<Object> run(String script) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ShellSession s = new ShellSession();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ShellCommand.runBatch(s, new StringReader(script), out);
    }
    return Edn.readAll(bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void scriptRunsEveryCommandAndCarriesOnAfterErrors() throws Exception {
    String uri = "mem:shell-" + UUID.randomUUID();
    List<Object> out =
        run(
            """
            connect %s
            ; a comment line is skipped
            transact [{:db/ident :name :db/valueType :db.type/string
                       :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]
            transact [{:name "Ivan"} {:name "Petr"}]
            query [:find ?n :where [_ :name ?n]]
            query [:find ?n :where [(no-such ?n)]]
            query [:find ?e . :in $ ?n :where [?e :name ?n]] "Nobody"
            pull [:name] [:name "Ivan"]
            history
            query [:find (count ?n) . :where [_ :name ?n _ true]]
            as-of 1
            query [:find ?n :where [_ :name ?n]]
            current
            frobnicate
            """
                .formatted(uri));
    assertThat(out).hasSize(13);
    assertThat(out.get(3)).isEqualTo(java.util.Set.of(List.of("Ivan"), List.of("Petr")));
    // the same error shape as every other command: {:error {:category … :code … :message …}}
    assertThat(Edn.write(out.get(4))).startsWith("{:error {:category :incorrect, :code :query/unknown-function, :message");
    assertThat(out.get(5)).isNull();
    assertThat(Edn.write(out.get(6))).isEqualTo("{:name \"Ivan\"}");
    assertThat(out.get(8)).isEqualTo(2L);
    assertThat(out.get(10)).isEqualTo(java.util.Set.of());
    assertThat(Edn.write(out.get(12))).startsWith("{:error {:category :incorrect, :message \"unknown command");
  }

  @Test
  void viewsComposeUntilCurrent() throws Exception {
    String uri = "mem:shell-views-" + UUID.randomUUID();
    List<Object> out =
        run(
            """
            connect %s
            transact [{:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]
            transact [{:db/id "a" :db/ident :ann :age 30}]
            transact [[:db/add :ann :age 31]]
            transact [[:db/add :ann :age 32]]
            as-of 3
            history
            query [:find ?v ?added :where [:ann :age ?v _ ?added]]
            current
            since 2
            history
            query [:find ?v ?added :where [:ann :age ?v _ ?added]]
            current
            history
            query [:find ?v ?added :where [:ann :age ?v _ ?added]]
            as-of 3
            query [:find ?v ?added :where [:ann :age ?v _ ?added]]
            as-of nope
            query [:find ?v ?added :where [:ann :age ?v _ ?added]]
            """
                .formatted(uri));
    // as-of 3 then history: the history of the as-of view, as db.asOf(3).history()
    assertThat(Edn.write(out.get(6))).isEqualTo("{:db :history, :views [[:as-of 3] [:history]]}");
    assertThat(out.get(7)).isEqualTo(java.util.Set.of(List.of(30L, true), List.of(30L, false), List.of(31L, true)));
    // since 2 then history: what came after t 2, assertions and retractions
    assertThat(out.get(11)).isEqualTo(java.util.Set.of(
        List.of(30L, false), List.of(31L, true), List.of(31L, false), List.of(32L, true)));
    assertThat(Edn.write(out.get(12))).isEqualTo("{:db :current, :views []}");
    // history then as-of: the same datoms, composed the other way round
    assertThat((java.util.Collection<?>) out.get(14)).hasSize(5);
    assertThat(out.get(16)).isEqualTo(out.get(7));
    // a bad view is refused and leaves the views as they were
    assertThat(Edn.write(out.get(17))).startsWith("{:error");
    assertThat(out.get(18)).isEqualTo(out.get(7));
  }

  @Test
  void commandsNeedAConnection() throws Exception {
    List<Object> out = run("query [:find ?e :where [?e :name]]\n");
    assertThat(Edn.write(out.get(0))).contains("not connected");
  }

  @Test
  void bracketsDecideWhereACommandEnds() {
    assertThat(ShellSession.complete("query [:find ?e\n")).isFalse();
    assertThat(ShellSession.complete("query [:find ?e :where [?e :n \"]\"]]")).isTrue();
  }
}
