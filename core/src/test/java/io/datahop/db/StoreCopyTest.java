package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.Stores;
import io.datahop.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies keep every commit under its address (so every as-of view answers the same), are
 * incremental, refuse a destination holding another database, never move a head before its
 * commits are complete, and resume after an interruption or a kill of the copying process.
 */
class StoreCopyTest {
  private static final Keyword COMMITS = Keyword.of("commits");
  private static final Keyword COPIED = Keyword.of("copied-blobs");
  private static final Keyword PRESENT = Keyword.of("present-blobs");

  @Test
  void copiesAreIncrementalAndAnswerAsTheSourceAsOfEveryT(@TempDir Path dir) {
    String src = "mem:copy-src-" + UUID.randomUUID();
    List<Snapshot> snaps = LogExportTest.build(src, 11, 30);
    String file = "file:" + dir.resolve("copy");
    String mem = "mem:copy-dst-" + UUID.randomUUID();
    Map<Keyword, Object> first = Backups.copy(src, file);
    assertThat(first.get(COMMITS)).isEqualTo((long) snaps.size());
    assertThat(first.get(Keyword.of("verified"))).isEqualTo(true);
    Backups.copy(file, mem); // and on again, from the copy
    try (Connection s = Databases.connect(src);
        Connection f = Databases.connect(file);
        Connection m = Databases.connect(mem)) {
      assertThat(LogExportTest.views(f.db())).isEqualTo(LogExportTest.views(s.db()));
      assertThat(LogExportTest.views(m.db())).isEqualTo(LogExportTest.views(s.db()));
      assertThat(f.storeId()).isNotEqualTo(s.storeId());
      // a DbRef of the source names the source's store: refused by the copy, but its commit is there
      DbRef ref = s.db().asOf(5L).ref().orElseThrow();
      assertThatThrownBy(() -> f.dbAt(ref)).isInstanceOfSatisfying(DatahopException.class,
          e -> assertThat(e.code()).isEqualTo("db/wrong-store"));
      Db there = f.dbAt(new DbRef(f.storeId(), f.uri(), ref.commit(), ref.asOfT(), ref.sinceT(), ref.history()));
      assertThat(there.q("[:find ?e ?n :where [?e :name ?n]]")).isEqualTo(s.dbAt(ref).q("[:find ?e ?n :where [?e :name ?n]]"));

      // new commits on the source: the re-copy copies only them
      s.transact("[{:name \"late\" :n 3}]");
      s.transact("[{:name \"later\" :n 4}]");
      Map<Keyword, Object> again = Backups.copy(src, file);
      assertThat(again.get(COMMITS)).isEqualTo(2L);
      assertThat((Long) again.get(COPIED)).isBetween(2L, 40L);
      assertThat(LogExportTest.views(f.db())).isEqualTo(LogExportTest.views(s.db()));
      assertThat(Backups.copy(src, file).get(COPIED)).isEqualTo(0L); // nothing new

      // the destination moved on by itself: it is another database now
      f.transact("[{:name \"only-in-the-copy\"}]");
      s.transact("[{:name \"only-in-the-source\"}]");
      assertThatThrownBy(() -> Backups.copy(src, file)).isInstanceOfSatisfying(DatahopException.class,
          e -> assertThat(e.code()).isEqualTo("copy/diverged"));
    }
    // a new empty database is every database's first commit (same bytes, same address): a copy
    // onto it is an incremental one; one with a transaction of its own is another database
    String empty = "mem:copy-empty-" + UUID.randomUUID();
    Databases.create(empty);
    assertThat(Backups.copy(src, empty).get(COMMITS)).isEqualTo(Long.valueOf(countCommits(src) - 1));
    String other = "mem:copy-other-" + UUID.randomUUID();
    Databases.create(other, DbConfig.defaults().withInitialTx("[{:db/ident :x :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]"));
    assertThatThrownBy(() -> Backups.copy(src, other)).isInstanceOfSatisfying(DatahopException.class,
        e -> assertThat(e.code()).isEqualTo("copy/diverged"));
    assertThatThrownBy(() -> Backups.copy(src, src)).isInstanceOfSatisfying(DatahopException.class,
        e -> assertThat(e.code()).isEqualTo("copy/same-store"));
    for (String u : List.of(src, mem, other, empty)) Stores.delete(u);
  }

  private static int countCommits(String uri) {
    try (Connection c = Databases.connect(uri)) {
      return CommitChanges.chain(((ConnectionImpl) c).commits(), c.store().head("main").orElseThrow()).size();
    }
  }

  /**
   * An excision writes the source's history again, so an earlier copy is no longer an ancestor: a
   * re-copy onto it is refused (it still holds the excised value), a copy into a new store works.
   */
  @Test
  void afterAnExcisionAnOldCopyIsRefusedAndANewOneHasNoExcisedValue(@TempDir Path dir) throws Exception {
    String src = "mem:copy-excise-" + UUID.randomUUID();
    String old = "mem:copy-excise-old-" + UUID.randomUUID();
    String fresh = "mem:copy-excise-new-" + UUID.randomUUID();
    Databases.create(src);
    try (Connection c = Databases.connect(src)) {
      c.transact("[{:db/ident :secret :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      long e = c.transact("[{:db/id \"x\" :secret \"hunter2\"}]").tempids().get("x");
      c.transact("[{:secret \"kept\"}]");
      Backups.copy(src, old);
      c.transact(List.of(Map.of(":db/excise", e)));
    }
    assertThatThrownBy(() -> Backups.copy(src, old)).isInstanceOfSatisfying(DatahopException.class,
        e -> assertThat(e.code()).isEqualTo("copy/diverged"));
    Backups.copy(src, fresh);
    try (Connection c = Databases.connect(fresh)) {
      assertThat(c.db().history().q("[:find ?v :where [_ :secret ?v]]").toString()).contains("kept").doesNotContain("hunter2");
    }
    // and its log, the excision request included, exports and imports to the same bytes
    Path a = dir.resolve("a.edn"), b = dir.resolve("b.edn");
    Backups.exportLog(src, a);
    assertThat(Files.readString(a)).doesNotContain("hunter2");
    String imported = "mem:copy-excise-imported-" + UUID.randomUUID();
    Backups.importLog(a, imported);
    Backups.exportLog(imported, b);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
    for (String u : List.of(src, old, fresh, imported)) Stores.delete(u);
  }

  @Test
  void anInterruptedCopyMovesNoHeadAndResumes() {
    String src = "mem:copy-int-" + UUID.randomUUID();
    List<Snapshot> snaps = LogExportTest.build(src, 3, 30);
    String dst = "mem:copy-int-dst-" + UUID.randomUUID();
    RuntimeException stop = new RuntimeException("stopped");
    assertThatThrownBy(() -> Backups.copy(src, dst, (done, total) -> {
      if (done == total / 2) throw stop;
    })).isSameAs(stop);
    try (Store d = Stores.open(dst, false)) {
      assertThat(d.heads()).isEmpty();
      long[] blobs = {0};
      d.forEachAddress(a -> blobs[0]++);
      assertThat(blobs[0]).isPositive();
    }
    Map<Keyword, Object> resumed = Backups.copy(src, dst);
    assertThat((Long) resumed.get(PRESENT)).isPositive();
    assertThat(resumed.get(COMMITS)).isEqualTo((long) snaps.size());
    try (Connection s = Databases.connect(src);
        Connection d = Databases.connect(dst)) {
      assertThat(LogExportTest.views(d.db())).isEqualTo(LogExportTest.views(s.db()));
      assertThat(Maintenance.verify(d).get(Keyword.of("ok"))).isEqualTo(true);
    }
    Stores.delete(src);
    Stores.delete(dst);
  }

  /** The copying process killed mid-copy: the destination has no head or the whole copy; a re-run completes it. */
  @Test
  void aCopyKilledMidwayResumes(@TempDir Path dir) throws Exception {
    String src = "file:" + dir.resolve("src");
    LogExportTest.build(src, 5, 120);
    String dst = "file:" + dir.resolve("dst");
    Path log = dir.resolve("child.log");
    Process child = ChildJvm.start(log, CopyMain.class, src, dst);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(log) && Files.readString(log).contains("commit 20 of"))) {
        assertThat(child.isAlive()).as("the child copies slowly; its log: %s", Files.exists(log) ? Files.readString(log) : "")
            .isTrue();
        assertThat(System.nanoTime()).as("child progress").isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly().waitFor();
    }
    Address head;
    try (Store s = Stores.open(src, false);
        Store d = Stores.open(dst, false)) {
      head = s.head("main").orElseThrow();
      assertThat(d.head("main")).as("no head before the copy is complete").isEmpty();
    }
    Map<Keyword, Object> resumed = Backups.copy(src, dst);
    assertThat((Long) resumed.get(PRESENT)).as("resumed, skipping what the killed run copied").isGreaterThanOrEqualTo(20L);
    try (Connection s = Databases.connect(src);
        Connection d = Databases.connect(dst)) {
      assertThat(d.store().head("main")).contains(head);
      assertThat(LogExportTest.views(d.db())).isEqualTo(LogExportTest.views(s.db()));
    }
  }

  /** Copies {@code args[0]} to {@code args[1]}, slowly, printing each commit done. */
  public static final class CopyMain {
    public static void main(String[] args) {
      Backups.copy(args[0], args[1], (done, total) -> {
        System.out.println("commit " + done + " of " + total);
        System.out.flush();
        try {
          Thread.sleep(25);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      System.out.println("done");
    }
  }
}
