package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle from the shell: an excision transacted with {@code datahop transact}, then {@code
 * datahop gc --scrub}: no byte of the excised value is left in the store's files, the rest
 * verifies and answers; {@code gc --keep-since} cuts the log.
 */
class ExciseCommandsTest {
  @TempDir Path dir;

  private static synchronized String run(String... args) {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(oldOut);
    }
  }

  private static boolean filesHold(Path store, String text) throws Exception {
    String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    try (Stream<Path> files = Files.walk(store)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(needle)) return true;
      }
    }
    return false;
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
    assertThat(filesHold(store, "123-45-6789")).isTrue();
    run("transact", "--no-progress", uri, edn("excise.edn", "[{:db/excise [:p/id 1] :db.excise/attrs [:p/ssn]}]").toString());
    assertThat(run("gc", "--scrub", uri)).contains(":deleted");
    assertThat(filesHold(store, "123-45-6789")).as("the excised value").isFalse();
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
