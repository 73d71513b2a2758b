package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create, transact, pull, datoms, stats, verify and gc through {@link Main#run}. */
class DbCommandsTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Keyword k(String s) {
    return Keyword.of(s);
  }

  @Test
  void transactsADatomicFileUnchangedAlsoReadInTwoHalves(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    assertThat(run("create", uri, "--schema-flexibility", "write").exit()).isZero();
    Path schema = dir.resolve("schema.edn");
    Files.writeString(schema, """
        [{:db/id #db/id[:db.part/db] :db/ident :person/name :db/valueType :db.type/string
          :db/cardinality :db.cardinality/one :db/unique :db.unique/identity :db.install/_attribute :db.part/db}
         {:db/id #db/id[:db.part/db] :db/ident :person/friend :db/valueType :db.type/ref
          :db/cardinality :db.cardinality/one :db.install/_attribute :db.part/db}
         {:db/id #db/id[:db.part/db] :db/ident :person/home :db/valueType :db.type/uri
          :db/cardinality :db.cardinality/one :db.install/_attribute :db.part/db}
         {:db/id #db/id[:db.part/db] :db/ident :people :db.install/_partition :db.part/db}]""");
    CliRun s = run("transact", uri, schema.toString());
    assertThat(s.exit()).as(s.err()).isZero();
    // over HalvedRead.MIN_BYTES, so two threads read it: #db/id [:people -1] in the second half
    // names the entity the first form makes
    StringBuilder data = new StringBuilder("[{:db/id #db/id[:people -1] :person/name \"root\"}\n");
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      data.append(" {:db/id #db/id[:people] :person/name \"p").append(i)
          .append("\" :person/friend #db/id[:people -1] :person/home #uri \"http://x.org/").append(i).append("\"}\n");
    }
    data.append("]");
    assertThat(data.length()).isGreaterThan(HalvedRead.MIN_BYTES);
    Path file = dir.resolve("data.edn");
    Files.writeString(file, data);
    CliRun tx = run("transact", uri, file.toString());
    assertThat(tx.exit()).as(tx.err()).isZero();
    CliRun q = run("query", uri, "[:find (count ?e) . :where [?e :person/friend ?r] [?r :person/name \"root\"]]");
    assertThat(q.exit()).as(q.err()).isZero();
    assertThat(Edn.read(q.out())).isEqualTo((long) n);
    CliRun home = run("query", uri, "[:find ?h . :where [?e :person/name \"p7\"] [?e :person/home ?h]]");
    assertThat(home.out()).isEqualTo("#uri \"http://x.org/7\"");
  }

  @Test
  void createTransactPullDatomsStatsVerifyGc(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    CliRun created = run("create", uri, "--schema-flexibility", "write");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(Edn.read(created.out())).isEqualTo(Map.of(k("created"), uri, k("branch"), "main",
        k("keep-history"), true, k("schema-flexibility"), k("write")));
    Path schema = dir.resolve("schema.edn");
    Files.writeString(schema, """
        [{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]""");
    assertThat(run("transact", uri, schema.toString()).exit()).isZero();
    Path data = dir.resolve("data.edn");
    Files.writeString(data, "{:tx-data [{:person/id 1 :name \"Ann\"} {:person/id 2 :name \"Ben\"}]}");
    CliRun tx = run("transact", uri, data.toString());
    assertThat(tx.exit()).as(tx.err()).isZero();
    Map<?, ?> txOut = (Map<?, ?>) Edn.read(tx.out());
    assertThat(txOut.get(k("datoms"))).isEqualTo(5L);
    assertThat(txOut.get(k("basis-t"))).isEqualTo(2L);

    CliRun pull = run("pull", uri, "[:name]", "[:person/id 2]");
    assertThat(pull.out()).isEqualTo("{:name \"Ben\"}");

    CliRun datoms = run("datoms", uri, "aevt", ":name");
    List<?> rows = (List<?>) Edn.read(datoms.out());
    assertThat(rows).hasSize(2);
    assertThat(((List<?>) rows.get(0)).get(1)).isEqualTo(k("name"));
    assertThat(((List<?>) rows.get(0)).get(2)).isEqualTo("Ann");

    CliRun stats = run("stats", uri);
    Map<?, ?> st = (Map<?, ?>) Edn.read(stats.out());
    assertThat(st.get(k("basis-t"))).isEqualTo(2L);
    assertThat((Long) st.get(k("datoms"))).isGreaterThan(50L);
    assertThat(((Map<?, ?>) st.get(k("indexes"))).containsKey(k("history-vaet"))).isTrue();

    CliRun verify = run("verify", uri);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(((Map<?, ?>) Edn.read(verify.out())).get(k("ok"))).isEqualTo(true);

    CliRun gc = run("gc", uri);
    assertThat(gc.exit()).as(gc.err()).isZero();
    assertThat(run("pull", uri, "[:name]", "[:person/id 1]").out()).isEqualTo("{:name \"Ann\"}");
    assertThat(run("verify", uri).exit()).isZero();
  }

  @Test
  void errorsAreEdnOnStderrWithNonZeroExit(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    assertThat(run("create", uri).exit()).isZero();
    CliRun again = run("create", uri);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains(":code :db/exists");
    Path bad = dir.resolve("bad.edn");
    Files.writeString(bad, "[{:nope 1}]");
    CliRun tx = run("transact", uri, bad.toString());
    assertThat(tx.exit()).isEqualTo(1);
    Map<?, ?> err = (Map<?, ?>) ((Map<?, ?>) Edn.read(tx.err())).get(k("error"));
    assertThat(err.get(k("code"))).isEqualTo(k("tx/unknown-attribute"));
    assertThat(run("datoms", uri, "xyz").err()).contains("cli/bad-index");
    assertThat(run("pull", "file:" + dir.resolve("missing"), "[*]", "1").exit()).isEqualTo(1);
  }

  @Test
  void verifyFailsOnADamagedStore(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    run("create", uri);
    Path data = dir.resolve("d.edn");
    StringBuilder sb = new StringBuilder("[{:db/ident :v :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
    Files.writeString(data, sb.toString());
    run("transact", uri, data.toString());
    // damage every stored file except the heads: flip a byte in the middle of each
    try (var files = Files.walk(dir.resolve("db"))) {
      for (Path p : files.filter(Files::isRegularFile).sorted(Comparator.reverseOrder()).toList()) {
        String name = p.getFileName().toString();
        if (name.contains("head") || name.contains("lock") || name.contains("id") || Files.size(p) < 64) continue;
        byte[] b = Files.readAllBytes(p);
        for (int i = b.length / 3; i < b.length; i += 97) b[i] ^= 0x5a;
        Files.write(p, b);
      }
    }
    CliRun v = run("verify", uri);
    assertThat(v.exit()).as(v.out() + v.err()).isNotZero();
  }
}
