package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import io.datahop.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * gc beside live writers on one backend: two writer connections commit small transactions (a new
 * entity and an update of an old one each), a third thread leaves garbage behind (blobs put and
 * never committed, as a process that dies mid-transaction would), and gc runs in a loop the whole
 * time. Afterwards every acknowledged transaction is there, verify is clean, and the database
 * still takes writes. Subclasses name the backend ({@link #newUri()}); the cross-process version
 * is {@code GcBesideWriterProcessesTest}.
 */
public abstract class GcBesideWritersContract {
  /** A URI of a store that does not exist yet. */
  protected abstract String newUri() throws Exception;

  /** Transactions per writer; enough to meet many sweeps. */
  protected int transactionsPerWriter() {
    return 150;
  }

  static final String SCHEMA = """
      [{:db/ident :k/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
       {:db/ident :k/val :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :k/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""";

  @Test
  void gcInALoopBesideTwoWritersAndGarbageLosesNoAcknowledgedTransaction() throws Exception {
    String uri = newUri();
    Databases.create(uri);
    int seeded = 2_000;
    try (Connection c = Databases.connect(uri)) {
      c.transact(SCHEMA);
      List<Map<String, Object>> seed = new ArrayList<>();
      for (int i = 0; i < seeded; i++) seed.add(Map.of("k/id", (long) i, "k/val", "seed-" + i));
      c.transact(seed);
    }
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    Map<Long, Long> updated = new ConcurrentHashMap<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong gcs = new AtomicLong();
    AtomicLong swept = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 1; w <= 2; w++) {
        long base = w * 1_000_000L;
        int parity = w - 1; // writer 1 updates even seed entities, writer 2 odd ones: never the same
        writers.add(threads.submit(() -> {
          SplittableRandom rnd = new SplittableRandom(base);
          try (Connection c = Databases.connect(uri)) {
            for (int i = 0; i < transactionsPerWriter(); i++) {
              long id = base + i;
              long old = rnd.nextInt(seeded / 2) * 2L + parity;
              c.transact(List.of(Map.of("k/id", id, "k/val", "v-" + id), Map.of("k/id", old, "k/n", id)));
              acknowledged.put(id, "v-" + id);
              updated.put(old, id);
            }
          }
          return null;
        }));
      }
      Future<?> garbage = threads.submit(() -> {
        SplittableRandom rnd = new SplittableRandom(7);
        try (Connection c = Databases.connect(uri)) {
          Store store = c.store();
          while (writing.get()) {
            byte[] b = new byte[64 + rnd.nextInt(4096)];
            rnd.nextBytes(b);
            store.put(b);
            // paced, so that the pack of a file store does not grow by gigabytes meanwhile
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          }
        }
        return null;
      });
      Future<?> collector = threads.submit(() -> {
        try (Connection c = Databases.connect(uri)) {
          while (writing.get()) {
            Map<Keyword, Object> r = Maintenance.gc(c);
            gcs.incrementAndGet();
            swept.addAndGet((Long) r.get(Keyword.of("deleted")));
          }
        }
        return null;
      });
      try {
        for (Future<?> f : writers) f.get(5, TimeUnit.MINUTES);
      } finally {
        writing.set(false);
      }
      garbage.get(1, TimeUnit.MINUTES);
      collector.get(5, TimeUnit.MINUTES);
    } finally {
      threads.shutdownNow();
    }
    System.out.printf("%s: %d gc runs swept %d blobs beside %d transactions%n", getClass().getSimpleName(), gcs.get(),
        swept.get(), acknowledged.size());
    assertThat(gcs.get()).as("gc runs").isGreaterThan(1);
    assertThat(swept.get()).as("blobs swept while writing").isGreaterThan(0);
    assertThat(acknowledged).hasSize(2 * transactionsPerWriter());

    try (Connection c = Databases.connect(uri)) {
      Maintenance.gc(c);
      check(c, acknowledged, updated);
      c.transact(List.of(Map.of("k/id", -1L, "k/val", "after")));
      assertThat(c.db().q("[:find ?v . :where [?e :k/id -1] [?e :k/val ?v]]")).isEqualTo("after");
    }
  }

  private static void check(Connection c, Map<Long, String> acknowledged, Map<Long, Long> updated) {
    Map<Keyword, Object> report = Maintenance.verify(c);
    assertThat(report.get(Keyword.of("ok"))).as("verify: %s", report).isEqualTo(true);
    Db db = c.db();
    for (Map.Entry<Long, String> e : acknowledged.entrySet()) {
      Object v = db.q("[:find ?v . :in $ ?id :where [?e :k/id ?id] [?e :k/val ?v]]", e.getKey());
      assertThat(v).as("entity %s", e.getKey()).isEqualTo(e.getValue());
    }
    for (Map.Entry<Long, Long> e : updated.entrySet()) {
      // each writer updates only its own entities, so the last update it acknowledged stands
      Object n = db.q("[:find ?n . :in $ ?id :where [?e :k/id ?id] [?e :k/n ?n]]", e.getKey());
      assertThat(n).as("update of %s", e.getKey()).isEqualTo(e.getValue());
    }
  }
}
