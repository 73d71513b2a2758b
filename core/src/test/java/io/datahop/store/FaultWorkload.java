package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.Maintenance;
import io.datahop.edn.Keyword;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The scripted workload of the fault-injection sweeps, and the check of what a reopened store
 * holds against what the workload was told was acknowledged.
 *
 * <p>The script: create a database; transact the schema and three transactions; close; a second
 * store instance puts garbage and live blobs and commits the unchanged head (which makes its blobs
 * durable); two more transactions; a third instance sweeps the garbage and compacts (the
 * garbage's pack is rewritten: live blobs copied, heads written afresh, the pack deleted); a last
 * transaction; close. Every step runs whatever failed before it (a failed instance is closed and
 * the next step opens a new one, creating the database or its schema if they are still missing,
 * as a user would), so one run can fail several times.
 *
 * <p>Every transaction adds three entities with a 1.2 KB note and sets the counter entity's
 * {@code :count} to its number: after a reopen, each transaction is all there or not at all,
 * every acknowledged one is there, and the counter holds the number of the newest one present.
 */
final class FaultWorkload {
  static final int TXS = 6;
  static final int GARBAGE = 12;
  static final int LIVE = 3;

  private final Path dir;
  private final String uri;
  private final List<List<Map<String, Object>>> txs = new ArrayList<>();
  private final List<byte[]> garbage = new ArrayList<>();
  private final List<byte[]> live = new ArrayList<>();

  /** What the store acknowledged. */
  boolean created;
  boolean schema;
  final TreeSet<Integer> acked = new TreeSet<>();
  boolean liveBlobsAcked;
  /** Every error a step met (all must be clear store errors). */
  final List<RuntimeException> failures = new ArrayList<>();

  FaultWorkload(Path dir, long dataSeed) {
    this.dir = dir;
    this.uri = "file:" + dir;
    SplittableRandom random = new SplittableRandom(dataSeed);
    for (int i = 0; i < TXS; i++) {
      List<Map<String, Object>> tx = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        tx.add(Map.of(":name", name(i, j), ":note", text(random, 1200), ":age", (long) (i * 10 + j)));
      }
      tx.add(Map.of(":name", "counter", ":count", (long) i));
      txs.add(tx);
    }
    for (int i = 0; i < GARBAGE; i++) {
      garbage.add(text(random, 3000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    for (int i = 0; i < LIVE; i++) {
      live.add(text(random, 2000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  static String name(int tx, int j) {
    return "e" + tx + "-" + j;
  }

  private static String text(SplittableRandom random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  static final String SCHEMA = """
      [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one
        :db/unique :db.unique/identity}
       {:db/ident :note :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :count :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""";

  /** Runs the script; failures are recorded, not thrown. */
  void run() {
    step(() -> {
      Databases.create(uri);
      created = true;
    });
    withConnection(c -> {
      for (int i = 0; i < 3; i++) {
        transact(c, i);
      }
    });
    step(() -> {
      try (FileStore s = FileStore.open(dir, false)) {
        for (byte[] g : garbage) {
          s.put(g);
        }
        for (byte[] l : live) {
          s.put(l);
        }
        Address head = s.head("main").orElse(null);
        if (head != null && s.compareAndSetHead("main", head, head)) {
          liveBlobsAcked = true;
        }
      }
    });
    withConnection(c -> {
      transact(c, 3);
      transact(c, 4);
    });
    step(() -> {
      try (FileStore s = FileStore.open(dir, false)) {
        s.sweep(heads -> garbage.stream().map(Address::of).toList());
        s.compact();
      }
    });
    withConnection(c -> transact(c, 5));
  }

  private void transact(Connection c, int i) {
    c.transact(txs.get(i));
    acked.add(i);
  }

  private interface Step {
    void run() throws Exception;
  }

  private interface WithConnection {
    void run(Connection c);
  }

  private void withConnection(WithConnection body) {
    step(() -> {
      // as a user would: make what an earlier failure left undone
      if (!Databases.exists(uri)) {
        Databases.create(uri);
        created = true;
      }
      try (Connection c = Databases.connect(uri)) {
        if (c.db().attribute(":name") == null) {
          c.transact(SCHEMA);
          schema = true;
        }
        body.run(c);
      }
    });
  }

  private void step(Step body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      failures.add(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Checks the store in {@code at} (this workload's directory, or a copy of it after a power cut)
   * with a healthy file system: verify passes, every acknowledged transaction and blob is there,
   * every transaction is all there or absent, and the store takes a new transaction.
   */
  void check(Path at, String label) {
    String u = "file:" + at;
    try (AutoCloseable healthy = FileIo.substitute(at, new FaultyFileIo(FaultyFileIo.Plan.none()))) {
      if (!Databases.exists(u)) {
        assertThat(created).as(label + ": the acknowledged database is gone").isFalse();
        Databases.create(u);
      }
      try (Connection c = Databases.connect(u)) {
        Map<Keyword, Object> report = Maintenance.verify(c);
        assertThat(report.get(Keyword.of("ok"))).as(label + ": verify " + report).isEqualTo(true);
        Db db = c.db();
        if (db.attribute(":name") == null) {
          assertThat(schema).as(label + ": the acknowledged schema is gone").isFalse();
          assertThat(acked).as(label).isEmpty();
          c.transact(SCHEMA);
        } else {
          checkTransactions(db, label);
        }
        c.transact(List.of(Map.of(":name", "after", ":note", label, ":age", 1L)));
        Object found = c.db().q("[:find ?note :where [?e :name \"after\"] [?e :note ?note]]");
        assertThat((Collection<?>) found).as(label + ": the write after the reopen").hasSize(1);
      }
      if (liveBlobsAcked) {
        try (FileStore s = FileStore.open(at, false)) {
          for (byte[] l : live) {
            assertThat(s.get(Address.of(l))).as(label + ": an acknowledged blob").isEqualTo(l);
          }
        }
      }
    } catch (Exception e) {
      throw new AssertionError(label + ": " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private void checkTransactions(Db db, String label) {
    Map<String, List<Object>> found = new HashMap<>();
    for (Object row : (Collection<Object>) db.q("[:find ?n ?note ?age :where [?e :name ?n] [?e :note ?note] [?e :age ?age]]")) {
      List<Object> r = (List<Object>) row;
      found.put((String) r.get(0), List.of(r.get(1), r.get(2)));
    }
    int newest = -1;
    Map<Integer, Boolean> present = new LinkedHashMap<>();
    for (int i = 0; i < TXS; i++) {
      int there = 0;
      for (int j = 0; j < 3; j++) {
        Map<String, Object> e = txs.get(i).get(j);
        List<Object> got = found.get(name(i, j));
        if (got != null) {
          assertThat(got).as(label + ": entity " + name(i, j)).isEqualTo(List.of(e.get(":note"), e.get(":age")));
          there++;
        }
      }
      assertThat(there).as(label + ": transaction " + i + " is all there or absent").isIn(0, 3);
      present.put(i, there == 3);
      if (there == 3) {
        newest = i;
      }
      if (acked.contains(i)) {
        assertThat(there).as(label + ": acknowledged transaction " + i + " (present: " + present + ")").isEqualTo(3);
      }
    }
    Optional<Object> count = ((Collection<List<Object>>) db.q("[:find ?c :where [?e :name \"counter\"] [?e :count ?c]]"))
        .stream().map(r -> r.get(0)).findFirst();
    if (newest < 0) {
      assertThat(count).as(label + ": counter").isEmpty();
    } else {
      assertThat(count).as(label + ": counter after transactions " + present).contains((long) newest);
    }
  }

  /** Each failure is a clear store error (a Fault naming I/O), never something else. */
  void checkFailures(String label) {
    for (RuntimeException f : failures) {
      if (!(f instanceof DatahopException d)) {
        throw new AssertionError(label + ": a failure that is no DatahopException: " + f, f);
      }
      boolean io = d.code().startsWith("store/io");
      boolean afterFailedCreate = !created && d.code().endsWith("not-found");
      if (!io && !afterFailedCreate) {
        throw new AssertionError(label + ": unexpected error " + d.code() + ": " + d.getMessage(), d);
      }
    }
  }
}
