package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writer processes on one file store: every commit is a CAS on the head, a loser re-runs
 * its transaction on the new head, so all 1000 transactions land and none is lost.
 */
class MultiProcessWriteTest {
  /** Child main: {@code uri first count} transacts {@code count} people, one per transaction. */
  public static final class Writer {
    public static void main(String[] args) {
      String uri = args[0];
      int first = Integer.parseInt(args[1]);
      int count = Integer.parseInt(args[2]);
      try (Connection c = Databases.connect(uri)) {
        for (int i = first; i < first + count; i++) {
          c.transact(List.of(Map.of("person/id", (long) i, "name", "p" + i)));
        }
      }
      System.out.println("writer done " + first);
    }
  }

  @Test
  void twoProcessesTimesFiveHundredTransactionsAllLand(@TempDir Path dir) throws Exception {
    String uri = "file:" + dir.resolve("db");
    Databases.create(uri);
    try (Connection c = Databases.connect(uri)) {
      c.transact("""
          [{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
           {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]""");
    }
    Path log1 = dir.resolve("w1.log");
    Path log2 = dir.resolve("w2.log");
    Process p1 = ChildJvm.start(log1, Writer.class, uri, "0", "500");
    Process p2 = ChildJvm.start(log2, Writer.class, uri, "500", "500");
    try (Connection c = Databases.connect(uri)) {
      // this process sees the others' commits while they write
      long seen = 0;
      while (p1.isAlive() || p2.isAlive()) {
        seen = Math.max(seen, c.db().count(IndexType.AEVT, Keyword.of("person/id")));
        Thread.sleep(50);
      }
      assertThat(p1.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p2.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p1.exitValue()).as(Files.readString(log1)).isZero();
      assertThat(p2.exitValue()).as(Files.readString(log2)).isZero();
      Db db = c.db();
      Set<Object> ids = new HashSet<>();
      for (Datom d : db.datoms(IndexType.AEVT, Keyword.of("person/id"))) ids.add(d.v());
      assertThat(ids).hasSize(1000);
      assertThat(db.basisT()).isEqualTo(1 + 1000);
      assertThat(seen).isGreaterThan(0);
    }
  }
}
