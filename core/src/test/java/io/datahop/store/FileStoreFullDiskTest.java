package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Maintenance;
import io.datahop.edn.Keyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 4 MiB tmpfs mounted by the test (root can; elsewhere the test is skipped,
 * saying why), a file store on it, transactions until one fails for lack of space. The failure
 * is a clear {@code store/io-failed} naming the pack and "No space left on device"; the store still
 * opens and verifies with every acknowledged transaction; once space is freed it takes writes.
 */
class FileStoreFullDiskTest {
  @TempDir Path tmp;

  @Test
  void aFullDiskFailsATransactionClearlyAndTheStoreWorksAgainOnceSpaceIsFreed() throws Exception {
    Path disk = tmp.resolve("disk");
    Files.createDirectories(disk);
    String mounted = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString());
    Assumptions.assumeTrue(mounted == null, () -> "cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): " + mounted);
    try {
      Path filler = disk.resolve("filler");
      Files.write(filler, new byte[2 << 20]); // freed later to make room
      String uri = "file:" + disk.resolve("store");
      Databases.create(uri);
      List<Integer> acked = new ArrayList<>();
      DatahopException failure = null;
      try (Connection c = Databases.connect(uri)) {
        c.transact(FaultWorkload.SCHEMA);
        for (int i = 0; i < 10_000 && failure == null; i++) {
          try {
            c.transact(tx(i));
            acked.add(i);
          } catch (DatahopException e) {
            failure = e;
          }
        }
      }
      assertThat(failure).as("a transaction failed on the full disk").isNotNull();
      System.out.println("full disk: " + acked.size() + " transactions acknowledged, then " + failure.code() + ": "
          + failure.getMessage());
      assertThat(failure.code()).isEqualTo("store/io-failed");
      assertThat(failure.getMessage()).contains("No space left on device").contains(".pack");
      assertThat((String) failure.context().get("file")).startsWith(disk.toString());
      assertThat(acked).as("transactions before the disk was full").isNotEmpty();

      try (Connection c = Databases.connect(uri)) {
        assertThat(Maintenance.verify(c).get(Keyword.of("ok"))).isEqualTo(true);
        assertThat(names(c)).as("every acknowledged transaction").hasSize(10 * acked.size());
      }
      Files.delete(filler);
      try (Connection c = Databases.connect(uri)) {
        c.transact(tx(acked.size()));
        assertThat(names(c)).hasSize(10 * (acked.size() + 1));
      }
      try (Connection c = Databases.connect(uri)) {
        assertThat(Maintenance.verify(c).get(Keyword.of("ok"))).isEqualTo(true);
        assertThat(names(c)).hasSize(10 * (acked.size() + 1));
      }
    } finally {
      String unmounted = run("umount", disk.toString());
      if (unmounted != null) {
        run("umount", "-l", disk.toString());
      }
    }
  }

  private static Collection<?> names(Connection c) {
    return (Collection<?>) c.db().q("[:find ?n :where [?e :name ?n] [?e :note _]]");
  }

  /** Ten entities with 2 KB notes: about 20 KB of blobs per transaction. */
  private static List<Map<String, Object>> tx(int i) {
    List<Map<String, Object>> tx = new ArrayList<>();
    for (int j = 0; j < 10; j++) {
      tx.add(Map.of(":name", "t" + i + "-" + j, ":note", ("note " + i + "-" + j + " ").repeat(200), ":age", (long) j));
    }
    return tx;
  }

  /** Runs a command; null when it succeeded, else its exit status and output. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.toString();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish";
    }
    return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + out;
  }
}
