package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.testkit.StoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle from the shell: an excision transacted with {@code datahop transact}, then {@code
 * datahop gc --scrub}: no byte of the excised value is left in the store's files, the rest
 * verifies and answers; {@code gc --keep-since} cuts the log.
 */
class ExciseCommandsTest {
  @TempDir Path dir;

  private static String run(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    return r.out();
  }

  private Path edn(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void exciseThenScrubbingGcLeavesNoByteOfTheValue() throws Exception {
    Path store = dir.resolve("db");
    String uri = "file:" + store;
    run("create", uri);
    run("transact", "--no-progress", uri, edn("schema.edn", """
        [{:db/ident :p/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :p/ssn :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]""").toString());
    run("transact", "--no-progress", uri, edn("data.edn", "[{:p/id 1 :p/ssn \"123-45-6789\"} {:p/id 2 :p/ssn \"987-65-4321\"}]").toString());
    assertThat(StoreFiles.contain(store, "123-45-6789")).isTrue();
    run("transact", "--no-progress", uri, edn("excise.edn", "[{:db/excise [:p/id 1] :db.excise/attrs [:p/ssn]}]").toString());
    assertThat(run("gc", "--scrub", uri)).contains(":deleted");
    assertThat(StoreFiles.contain(store, "123-45-6789")).as("the excised value").isFalse();
    assertThat(run("verify", uri)).contains(":ok true");
    assertThat(run("query", uri, "[:find ?s . :where [?e :p/id 2] [?e :p/ssn ?s]]")).contains("987-65-4321");
    assertThat(run("query", uri, "[:find ?s . :where [?e :p/id 1] [?e :p/ssn ?s]]").trim()).isEqualTo("nil");
    assertThat(run("log", uri)).doesNotContain("123-45-6789");

    // retention: only the newest transaction's history is kept
    run("gc", "--keep-since", java.time.Instant.now().plusSeconds(3600).toString(), uri);
    assertThat(run("log", uri).lines().count()).isEqualTo(1);
    assertThat(run("verify", uri)).contains(":ok true");
  }
}
