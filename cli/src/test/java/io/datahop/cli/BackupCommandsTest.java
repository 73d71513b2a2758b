package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy}, {@code export} and {@code import} through {@link Main#run}: a file store copied to
 * SQLite and on to PostgreSQL, re-copied incrementally after new transactions, answering the same
 * on every copy (now and as of an older t); export → import → export byte-identical.
 */
class BackupCommandsTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static CliRun ok(String... args) {
    CliRun r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private static Map<?, ?> edn(CliRun r) {
    return (Map<?, ?>) Edn.read(r.out());
  }

  private static final String QUERY = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";

  /** A database with 300 transactions (a progress bar's worth), a schema change and retractions. */
  private static String source(Path dir) throws Exception {
    String uri = "file:" + dir.resolve("src");
    ok("create", uri);
    Path schema = Files.writeString(dir.resolve("schema.edn"), """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""");
    ok("transact", uri, schema.toString());
    StringBuilder forms = new StringBuilder("[");
    for (int i = 0; i < 300; i++) forms.append("{:name \"p").append(i % 120).append("\" :age ").append(i).append("}\n");
    Path data = Files.writeString(dir.resolve("data.edn"), forms.append(']').toString());
    ok("transact", "--batch", "1", uri, data.toString());
    Path more = Files.writeString(dir.resolve("more.edn"), "[[:db/retractEntity [:name \"p7\"]] [:db/add [:name \"p8\"] :age 1000]]");
    ok("transact", uri, more.toString());
    return uri;
  }

  /** The answers of {@code uri} now (through the query command) and as of t 50, 150 and 250. */
  private static List<Object> answers(String uri) {
    List<Object> out = new ArrayList<>();
    out.add(Edn.read(ok("query", uri, QUERY).out()));
    try (Connection c = Databases.connect(uri)) {
      for (long t : new long[] {50, 150, 250}) out.add(c.db().asOf(t).q(QUERY));
      out.add(c.db().basisT());
    }
    return out;
  }

  @Test
  void copyFileToSqliteToPostgresAndIncrementally(@TempDir Path dir) throws Exception {
    String src = source(dir);
    String sqlite = "jdbc:sqlite:" + dir.resolve("copy.db");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      try (java.sql.Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE copied");
      }
      String postgres = pg.getJdbcUrl("postgres", "copied");
      CliRun first = ok("copy", src, sqlite);
      assertThat(first.err()).as("a progress bar for 300+ commits").contains("copy");
      Map<?, ?> report = edn(first);
      assertThat(report.get(Keyword.of("verified"))).isEqualTo(true);
      assertThat((Long) report.get(Keyword.of("commits"))).isGreaterThan(300L);
      ok("copy", "--no-progress", sqlite, postgres);
      List<Object> expected = answers(src);
      assertThat(answers(sqlite)).isEqualTo(expected);
      assertThat(answers(postgres)).isEqualTo(expected);

      Path late = Files.writeString(dir.resolve("late.edn"), "[{:name \"late\" :age 1}] ");
      ok("transact", src, late.toString());
      ok("transact", src, late.toString().replace("late.edn", "more.edn"));
      Map<?, ?> again = edn(ok("copy", src, sqlite));
      assertThat(again.get(Keyword.of("commits"))).isEqualTo(2L);
      Map<?, ?> onward = edn(ok("copy", sqlite, postgres));
      assertThat(onward.get(Keyword.of("commits"))).isEqualTo(2L);
      assertThat((Long) onward.get(Keyword.of("copied-blobs"))).isLessThan(50L);
      expected = answers(src);
      assertThat(answers(sqlite)).isEqualTo(expected);
      assertThat(answers(postgres)).isEqualTo(expected);
      assertThat(edn(ok("verify", postgres)).get(Keyword.of("ok"))).isEqualTo(true);

      // the copy moved on by itself: copying the source over it again is refused
      Path only = Files.writeString(dir.resolve("only.edn"), "[{:name \"only in the copy\" :age 2}]");
      ok("transact", sqlite, only.toString());
      ok("transact", src, late.toString());
      CliRun refused = run("copy", src, sqlite);
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).contains("copy/diverged");
    }
  }

  @Test
  void exportImportExportIsByteIdentical(@TempDir Path dir) throws Exception {
    String src = source(dir);
    for (String name : new String[] {"log.edn", "log.edn.gz"}) {
      Path a = dir.resolve("a-" + name), b = dir.resolve("b-" + name);
      Map<?, ?> exported = edn(ok("export", src, a.toString()));
      assertThat(exported.get(Keyword.of("transactions"))).isEqualTo(exported.get(Keyword.of("basis-t")));
      String restored = "jdbc:sqlite:" + dir.resolve("restored-" + name + ".db");
      ok("import", a.toString(), restored);
      ok("export", restored, b.toString());
      assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
      assertThat(answers(restored)).isEqualTo(answers(src));
      if (name.endsWith(".gz")) {
        assertThat(Files.readAllBytes(a)[0] & 0xff).isEqualTo(0x1f); // gzip magic
      } else {
        assertThat(Files.readString(a)).startsWith("{:datahop/log 1, :keep-history true, :schema-flexibility :write");
      }
      CliRun twice = run("import", a.toString(), restored);
      assertThat(twice.exit()).isNotZero();
      assertThat(twice.err()).contains("import/target-exists");
    }
  }
}
