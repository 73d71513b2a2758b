package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.store.Store;
import io.datahop.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export → import → export is byte-identical, plain and gzipped, over every value type, schema
 * changes, retractions, noHistory, and commits that fold (whose change set is not stored); the
 * import answers as the source does, as of every t; bad logs are refused naming line and t.
 */
class LogExportTest {
  static final String SCHEMA = """
      [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
       {:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
       {:db/ident :ref :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
       {:db/ident :d :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
       {:db/ident :f :db/valueType :db.type/float :db/cardinality :db.cardinality/one}
       {:db/ident :b :db/valueType :db.type/boolean :db/cardinality :db.cardinality/one}
       {:db/ident :k :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}
       {:db/ident :sym :db/valueType :db.type/symbol :db/cardinality :db.cardinality/one}
       {:db/ident :u :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
       {:db/ident :at :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
       {:db/ident :big :db/valueType :db.type/bigint :db/cardinality :db.cardinality/one}
       {:db/ident :dec :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}
       {:db/ident :bytes :db/valueType :db.type/bytes :db/cardinality :db.cardinality/one}
       {:db/ident :pair :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long :db.type/float] :db/cardinality :db.cardinality/one}
       {:db/ident :link :db/valueType :db.type/uri :db/cardinality :db.cardinality/one}
       {:db/ident :secret :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/noHistory true}
       {:db/ident :name+n :db/valueType :db.type/tuple :db/tupleAttrs [:name :n] :db/cardinality :db.cardinality/one}]""";

  /**
   * A database at {@code uri} made of {@code steps} random transactions on commits that fold every
   * 3 transactions, plus a schema change halfway; returns the snapshot of every t.
   */
  static List<Snapshot> build(String uri, long seed, int steps) {
    return build(uri, seed, steps, true);
  }

  static List<Snapshot> build(String uri, long seed, int steps, boolean keepHistory) {
    SplittableRandom r = new SplittableRandom(seed);
    Store store = Stores.open(uri, true);
    try {
      Commits commits = new Commits(new IndexContext(store), 40, 3);
      List<Snapshot> snaps = new ArrayList<>();
      Snapshot s = commits.write(commits.bootstrap(DbConfig.defaults().withKeepHistory(keepHistory)));
      snaps.add(s);
      s = commits.write(Transactor.run(s, SCHEMA, Instant.now()).after());
      snaps.add(s);
      List<Long> entities = new ArrayList<>();
      Keyword add = Keyword.of("db/add");
      for (int step = 0; step < steps; step++) {
        List<Object> tx = new ArrayList<>();
        if (step == steps / 2) tx.add(List.of(add, Keyword.of("tags"), Keyword.of("db/ident"), Keyword.of("labels")));
        int ops = r.nextInt(1, 5);
        for (int i = 0; i < ops; i++) {
          long e = entities.isEmpty() ? 0 : entities.get(r.nextInt(entities.size()));
          int kind = entities.isEmpty() ? 0 : r.nextInt(9);
          switch (kind) {
            case 0 -> tx.add(java.util.Map.of(":db/id", "new" + i, ":name", "p" + step + "-" + i, ":n", (long) r.nextInt(5),
                ":d", r.nextDouble(), ":f", (float) r.nextDouble(), ":b", r.nextBoolean(), ":k", Keyword.of("k" + r.nextInt(3)),
                ":sym", io.datahop.edn.Symbol.of("s" + r.nextInt(3)), ":u", new UUID(r.nextLong(), r.nextLong()),
                ":at", Instant.ofEpochSecond(r.nextInt(1 << 30), r.nextInt(1_000_000_000))));
            case 1 -> tx.add(List.of(add, e, Keyword.of("n"), (long) r.nextInt(5)));
            case 2 -> tx.add(List.of(add, e, Keyword.of(step < steps / 2 ? "tags" : "labels"), "t" + r.nextInt(4)));
            case 3 -> tx.add(List.of(Keyword.of("db/retract"), e, Keyword.of(step < steps / 2 ? "tags" : "labels"), "t" + r.nextInt(4)));
            case 4 -> tx.add(List.of(add, e, Keyword.of("ref"), entities.get(r.nextInt(entities.size()))));
            case 5 -> tx.add(List.of(add, e, Keyword.of("big"), new java.math.BigInteger(80, new java.util.Random(r.nextLong()))));
            case 6 -> tx.add(List.of(add, e, Keyword.of("dec"), new java.math.BigDecimal("1." + r.nextInt(100) + "00")));
            case 7 -> tx.add(java.util.Map.of(":db/id", e, ":bytes", new byte[] {(byte) r.nextInt(), 2, 3},
                ":pair", List.of((long) r.nextInt(9), (float) r.nextDouble()), ":secret", "s" + r.nextInt(9),
                ":link", java.net.URI.create("https://example.org/p/" + r.nextInt(99) + "?q=a%20b")));
            default -> tx.add(List.of(Keyword.of("db/retractEntity"), e));
          }
        }
        Transactor.Result res;
        try {
          res = Transactor.run(s, tx, Instant.now());
        } catch (DatahopException ex) {
          continue; // conflicting random ops are rejected whole
        }
        res.tempids().forEach((k, v) -> {
          if (k instanceof String str && str.startsWith("new")) entities.add(v);
        });
        s = commits.write(res.after());
        snaps.add(s);
      }
      assertThat(store.compareAndSetHead("main", null, s.address())).isTrue();
      return snaps;
    } finally {
      store.close();
    }
  }

  /** Every datom of {@code db} as of each t, current and history, as text. */
  static List<String> views(Db db) {
    List<String> out = new ArrayList<>();
    for (long t = 0; t <= db.basisT(); t++) {
      List<String> at = new ArrayList<>();
      for (Datom d : db.asOf(t).datoms(IndexType.EAVT)) at.add(d.toString());
      out.add(t + " " + at);
    }
    List<String> h = new ArrayList<>();
    for (Datom d : db.history().datoms(IndexType.AEVT)) h.add(d.toString());
    out.add("history " + h);
    return out;
  }

  @Test
  void exportImportExportIsByteIdenticalAndAnswersTheSame(@TempDir Path dir) throws Exception {
    String src = "mem:export-" + UUID.randomUUID();
    List<Snapshot> snaps = build(src, 7, 40);
    for (String name : new String[] {"log.edn", "log.edn.gz"}) {
      Path a = dir.resolve("a-" + name), b = dir.resolve("b-" + name);
      var exported = Backups.exportLog(src, a);
      assertThat(exported.get(Keyword.of("transactions"))).isEqualTo((long) snaps.size() - 1);
      String copy = "file:" + dir.resolve("imported-" + name);
      var imported = Backups.importLog(a, copy);
      assertThat(imported.get(Keyword.of("basis-t"))).isEqualTo(snaps.get(snaps.size() - 1).basisT());
      Backups.exportLog(copy, b);
      assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
      if (!name.endsWith(".gz")) {
        // every value kind made it into the log, in its EDN form
        assertThat(Files.readString(a)).contains("#uri \"https://example.org/p/", "#datahop/float \"", "#bytes \"",
            "#uuid \"", "M ", "N ", " false]");
      }
      try (Connection x = Databases.connect(src);
          Connection y = Databases.connect(copy)) {
        assertThat(views(y.db())).isEqualTo(views(x.db()));
        assertThat(y.db().q("[:find ?e ?n ?t :where [?e :name ?n ?tx] [?tx :db/txInstant ?t]]"))
            .isEqualTo(x.db().q("[:find ?e ?n ?t :where [?e :name ?n ?tx] [?tx :db/txInstant ?t]]"));
        // the import is a database like any other: it takes new transactions
        y.transact("[{:name \"after-import\" :n 1}]");
        assertThat(Maintenance.verify(y).get(Keyword.of("ok"))).isEqualTo(true);
      }
    }
    Stores.delete(src);
  }

  /**
   * A base commit written before bases carried their own change set has none: its transaction is
   * then found by diffing with its parent. That path gives exactly what the stored change sets
   * say, for every commit of a database with history and one without (retractions leave no trace
   * in its history indices).
   */
  @Test
  void aCommitsTransactionByDiffEqualsItsStoredChangeSet() {
    for (boolean keepHistory : new boolean[] {true, false}) {
      String uri = "mem:export-diff-" + UUID.randomUUID();
      List<Snapshot> snaps = build(uri, 23, 30, keepHistory);
      try (Store store = Stores.open(uri, false)) {
        Commits commits = new Commits(new IndexContext(store));
        long retractions = 0;
        for (Snapshot s : snaps.subList(1, snaps.size())) {
          CommitChanges.Tx stored = CommitChanges.of(commits, s.address());
          assertThat(CommitChanges.byDiff(commits, s.address(), commits.record(s.address())))
              .as("t %d", s.basisT()).isEqualTo(stored);
          retractions += stored.data().stream().filter(d -> !d.added()).count();
        }
        assertThat(retractions).isPositive();
      }
      Stores.delete(uri);
    }
  }

  @Test
  void schemaOnReadFloatsAndUntypedValuesSurvive(@TempDir Path dir) throws Exception {
    String src = "mem:export-read-" + UUID.randomUUID();
    Databases.create(src, DbConfig.defaults().withSchemaOnRead(true).withKeepHistory(false));
    try (Connection c = Databases.connect(src)) {
      c.transact(List.of(java.util.Map.of(":x", 1.5f, ":y", 2.5d, ":z", List.of(1.25f, "a"))));
      c.transact(List.of(java.util.Map.of(":x", 3.0f)));
    }
    Path a = dir.resolve("a.edn"), b = dir.resolve("b.edn");
    Backups.exportLog(src, a);
    assertThat(Files.readString(a)).contains("#datahop/float \"1.5\"").contains(":keep-history false")
        .contains(":schema-flexibility :read");
    String copy = "mem:import-read-" + UUID.randomUUID();
    Backups.importLog(a, copy);
    Backups.exportLog(copy, b);
    assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    try (Connection c = Databases.connect(copy)) {
      assertThat((java.util.Collection<Object>) (java.util.Collection<?>) c.db().q("[:find ?v :where [_ :x ?v]]")).containsExactlyInAnyOrder(List.of(1.5f), List.of(3.0f));
    }
    Stores.delete(src);
    Stores.delete(copy);
  }

  /** After gc --keep-since the log no longer starts at t 1: export refuses rather than write a log of another database. */
  @Test
  void aDatabaseThatGaveUpHistoryIsNotExported(@TempDir Path dir) throws Exception {
    String src = "mem:export-retained-" + UUID.randomUUID();
    Databases.create(src);
    try (Connection c = Databases.connect(src)) {
      c.transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact("[{:name \"old\"}]");
      Thread.sleep(5);
      Instant cut = Instant.now();
      Thread.sleep(5);
      c.transact("[{:name \"new\"}]");
      Maintenance.gc(c, false, cut);
    }
    assertThatThrownBy(() -> Backups.exportLog(src, dir.resolve("x.edn"))).isInstanceOfSatisfying(DatahopException.class,
        e -> assertThat(e.code()).isEqualTo("export/retained-history"));
    assertThat(dir.resolve("x.edn")).doesNotExist();
    Stores.delete(src);
  }

  @Test
  void badLogsAreRefusedNamingLineAndTAndLeaveNoDatabase(@TempDir Path dir) throws Exception {
    String src = "mem:export-bad-" + UUID.randomUUID();
    Databases.create(src);
    try (Connection c = Databases.connect(src)) {
      c.transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
      c.transact("[{:db/id \"a\" :name \"Ann\"}]");
      c.transact("[[:db/add [:db/ident :name] :db/doc \"a name\"]]");
    }
    Path good = dir.resolve("good.edn");
    Backups.exportLog(src, good);
    List<String> lines = Files.readAllLines(good);
    assertThat(lines).hasSize(4);
    String ann = lines.get(2);
    expectRefused(dir, List.of(lines.get(0), lines.get(1), lines.get(3)), "import/bad-t", 3);
    expectRefused(dir, List.of(lines.get(0), lines.get(1), ann.replace("\"Ann\"", "42")), "import/wrong-type", 3);
    expectRefused(dir, List.of(lines.get(0), lines.get(1), ann.replace(" true]", " false]")), "import/not-asserted", 3);
    expectRefused(dir, List.of(lines.get(0), lines.get(1), ann, ann.replace(":t 2,", ":t 3,")), "import/bad-tx-id", 4);
    expectRefused(dir, List.of(lines.get(0), lines.get(1)), "import/truncated", 2);
    expectRefused(dir, List.of(lines.get(0), "{:t 1"), "import/bad-edn", 2);
    expectRefused(dir, List.of("{:t 1}"), "import/bad-tx", 1);
    Stores.delete(src);
  }

  private static void expectRefused(Path dir, List<String> lines, String code, int line) throws Exception {
    Path f = Files.write(dir.resolve("bad.edn"), lines);
    String uri = "file:" + dir.resolve("bad-target");
    assertThatThrownBy(() -> Backups.importLog(f, uri))
        .isInstanceOfSatisfying(DatahopException.class, e -> {
          assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
          assertThat(e.context().get("line")).as(e.getMessage()).isEqualTo(line);
        });
    assertThat(Databases.exists(uri)).isFalse();
  }
}
