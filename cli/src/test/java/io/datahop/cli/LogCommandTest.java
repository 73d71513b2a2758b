package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code datahop log}: ranges, the EDN form of an entry, and {@code --follow} in a second process. */
class LogCommandTest {
  @TempDir Path dir;

  private static String run(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    return r.out();
  }

  private String store() {
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact("[{:db/id \"a\" :name \"Ann\"}]");
      c.transact("[[:db/add [:db/ident :name] :db/doc \"a name\"]]");
    }
    return uri;
  }

  @Test
  @SuppressWarnings("unchecked")
  void printsOneMapPerTransactionInRange() {
    String uri = store();
    List<String> lines = run("log", uri).lines().toList();
    assertThat(lines).hasSize(3);
    Map<Keyword, Object> second = (Map<Keyword, Object>) Edn.read(lines.get(1));
    assertThat(second.get(Keyword.of("t"))).isEqualTo(2L);
    assertThat(second.get(Keyword.of("instant"))).isInstanceOf(java.time.Instant.class);
    List<List<Object>> data = (List<List<Object>>) second.get(Keyword.of("data"));
    assertThat(data).anySatisfy(d -> {
      assertThat(d.get(1)).isEqualTo(Keyword.of("name"));
      assertThat(d.get(2)).isEqualTo("Ann");
      assertThat(d.get(3)).isEqualTo(second.get(Keyword.of("tx")));
      assertThat(d.get(4)).isEqualTo(true);
    });
    assertThat(run("log", uri, "--from", "2", "--to", "3").lines().toList()).hasSize(1).first().asString().startsWith("{:t 2");
  }

  @Test
  void followPrintsCommitsOfOtherProcessesAsTheyLand() throws Exception {
    String uri = store();
    Path out = dir.resolve("follow.log");
    Process p = ChildJvm.start(out, Main.class, "log", uri, "--from", "3", "--follow");
    try {
      waitFor(out, "{:t 3", p);
      try (Connection c = Databases.connect(uri)) {
        c.transact("[{:name \"Ben\"}]");
        c.transact("[{:name \"Cid\"}]");
      }
      waitFor(out, "{:t 5", p);
      List<String> lines = Files.readAllLines(out).stream().filter(l -> l.startsWith("{:t ")).toList();
      assertThat(lines).extracting(l -> l.substring(0, 5)).containsExactly("{:t 3", "{:t 4", "{:t 5");
      assertThat(lines.get(1)).contains("\"Ben\"");
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  private static void waitFor(Path log, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) return;
      assertThat(p.isAlive()).as("log --follow exited: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
      Thread.onSpinWait();
      Thread.sleep(20); // polling a child's output file: there is nothing to wait on
    }
    throw new AssertionError("no '" + text + "' in " + Files.readString(log));
  }
}
