package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Edn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code datahop query URI QUERY [ARG…]} on a file store prints the result as EDN. */
class QueryCommandTest {
  @TempDir Path dir;

  private static String[] capture(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new String[] {
        Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
      };
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void printsTheResultAndReportsBadQueries() {
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact("[{:name \"Ivan\"} {:name \"Petr\"}]");
    }
    String[] ok =
        capture("query", uri, "[:find ?n :in $ ?min :where [_ :name ?n] [(> ?n ?min)]]", "\"J\"");
    assertThat(ok[0]).isEqualTo("0");
    assertThat(Edn.read(ok[1].strip())).isEqualTo(Set.of(List.of("Petr")));
    String[] bad = capture("query", uri, "[:find ?n :where [_ :name ?n] [(nope ?n)]]");
    assertThat(bad[0]).isEqualTo("1");
    assertThat(bad[2]).contains("query/unknown-function");
  }
}
