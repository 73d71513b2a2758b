package io.datahop.bench;

import io.datahop.index.BTree;
import io.datahop.index.IndexStorage;
import io.datahop.index.KeyCodecs;
import io.datahop.index.Transient;
import io.datahop.store.Address;
import io.datahop.store.MemStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The persistent B+tree over a {@link MemStore}, 1M {@code Long} keys, swept over node size:
 * bulk build (+ flush), point seeks with a cold cache (every node read from the store and
 * decoded) and a warm one, range scans, single persistent inserts and transient batches.
 *
 * <pre>
 * mvn -B -ntp -o -q -pl bench -am package -DskipTests
 * java -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main BTreeBench -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BTreeBench {
  private static final Comparator<Long> NATURAL = Comparator.naturalOrder();
  private static final int N = 1_000_000;
  private static final int SCAN = 1_000;

  @Param({"64", "128", "256", "512"})
  int nodeSize;

  private List<Long> sorted;
  private MemStore store;
  private IndexStorage<Long> storage;
  private Address root;
  private BTree<Long> tree;
  private BTree<Long> coldTree;
  private long[] probes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    sorted = new ArrayList<>(N);
    for (long i = 0; i < N; i++) {
      sorted.add(i * 3);
    }
    store = new MemStore();
    storage = IndexStorage.builder(store).nodeSize(nodeSize).cacheBytes(1L << 30).build(KeyCodecs.longs());
    root = BTree.build(storage, NATURAL, sorted).flush();
    tree = BTree.load(storage, NATURAL, root);
    // a cache of size 0 keeps nothing: every node of every seek is read, hash-checked and decoded
    IndexStorage<Long> cold = IndexStorage.builder(store).nodeSize(nodeSize).cacheBytes(0).build(KeyCodecs.longs());
    coldTree = BTree.load(cold, NATURAL, root);
    SplittableRandom rnd = new SplittableRandom(42);
    probes = new long[1 << 16];
    for (int i = 0; i < probes.length; i++) {
      probes[i] = rnd.nextLong(3L * N);
    }
    long n = 0;
    for (Long k : tree) {
      n += k; // reads every node once, so the warm benchmarks start with a full cache
    }
    if (n == 42) {
      throw new AssertionError();
    }
  }

  private long probe() {
    return probes[next++ & (probes.length - 1)];
  }

  /** Builds 1M sorted keys into a tree in memory (ops/s × 1M = keys/s). */
  @Benchmark
  @OperationsPerInvocation(N)
  public BTree<Long> bulkBuild() {
    return BTree.build(storage, NATURAL, sorted);
  }

  /** Builds 1M sorted keys and writes every node to a fresh MemStore (encode + SHA-256 + put). */
  @Benchmark
  @OperationsPerInvocation(N)
  public Address bulkBuildAndFlush() {
    IndexStorage<Long> s = IndexStorage.builder(new MemStore()).nodeSize(nodeSize).build(KeyCodecs.longs());
    return BTree.build(s, NATURAL, sorted).flush();
  }

  /** A point lookup from an emptied cache: depth nodes read from the store, hashed, decoded. */
  @Benchmark
  public boolean seekCold() {
    return coldTree.contains(probe());
  }

  /** A point lookup with every node cached. */
  @Benchmark
  public boolean seekWarm() {
    return tree.contains(probe());
  }

  /** Seeks and reads the next 1000 keys, warm (ops/s × 1000 = keys/s). */
  @Benchmark
  @OperationsPerInvocation(SCAN)
  public void rangeScanWarm(Blackhole bh) {
    long from = probe();
    for (Long k : tree.slice(from, from + 3L * SCAN - 1)) {
      bh.consume(k);
    }
  }

  /** The same scan descending. */
  @Benchmark
  @OperationsPerInvocation(SCAN)
  public void rangeScanDescendingWarm(Blackhole bh) {
    long from = probe();
    for (Long k : tree.rslice(from + 3L * SCAN - 1, from)) {
      bh.consume(k);
    }
  }

  /** A range count, O(log n), warm. */
  @Benchmark
  public long countRange() {
    long from = probe();
    return tree.count(from, from + 300_000);
  }

  /** One persistent insert of a new key: copies the root-to-leaf path. */
  @Benchmark
  public BTree<Long> insertPersistent() {
    return tree.insert(probe() * 3 + 1); // never a multiple of 3: always a new key
  }

  /** 10k random inserts in one transient batch, then persistent (ops/s × 10k = inserts/s). */
  @Benchmark
  @OperationsPerInvocation(10_000)
  public BTree<Long> insertTransientBatch() {
    Transient<Long> t = tree.asTransient();
    for (int i = 0; i < 10_000; i++) {
      t.insert(probe() * 3 + 1);
    }
    return t.persistent();
  }

  /**
   * 10k new keys in ascending order in one transient batch, as a transaction of new entities
   * appends to EAVT (ops/s × 10k = inserts/s).
   */
  @Benchmark
  @OperationsPerInvocation(10_000)
  public BTree<Long> insertTransientSorted() {
    Transient<Long> t = tree.asTransient();
    long start = probe() * 3 + 1;
    for (int i = 0; i < 10_000; i++) {
      t.insert(start + 3L * i);
    }
    return t.persistent();
  }
}
