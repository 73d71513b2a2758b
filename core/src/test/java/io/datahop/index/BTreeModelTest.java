package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operation sequences on a {@link BTree} checked against a {@link TreeSet} model: insert,
 * remove, transient batches, bulk builds, flush, reload from the root address (sometimes through a
 * cold cache), ranges in both directions with random bounds, range counts, prefix-comparator
 * ranges, and old versions that must not change. The tree invariants are verified every few
 * steps. A failure names the seed and step; replay one seed with {@code -Ddatahop.seed=N}.
 */
class BTreeModelTest {
  private static final Comparator<Long> NATURAL = Comparator.naturalOrder();

  /** Orders by {@code k / 10}: coarser than the tree order, like a datom prefix comparator. */
  private static final Comparator<Object> BUCKET =
      (a, b) -> Long.compare(Math.floorDiv((Long) a, 10), Math.floorDiv((Long) b, 10));

  static Stream<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) {
      return Stream.of(Long.parseLong(pinned));
    }
    int n = Boolean.getBoolean("datahop.long") ? 500 : 24;
    long base = System.nanoTime();
    return LongStream.range(0, n).map(i -> i < 8 ? i : base + i).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void behavesLikeATreeSet(long seed) {
    new Run(seed).run();
  }

  private static final class Run {
    private final long seed;
    private final RandomGenerator rnd;
    private final CountingStore store = new CountingStore();
    private final int nodeSize;
    private final long range;
    private IndexStorage<Long> storage;
    private BTree<Long> tree;
    private NavigableSet<Long> model = new TreeSet<>();
    private final List<BTree<Long>> oldTrees = new ArrayList<>();
    private final List<NavigableSet<Long>> oldModels = new ArrayList<>();
    private String op = "start";

    Run(long seed) {
      this.seed = seed;
      this.rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
      this.nodeSize = new int[] {4, 5, 6, 8, 16, 33}[rnd.nextInt(6)];
      this.range = new long[] {20, 200, 2000, 8000}[rnd.nextInt(4)];
      this.storage = newStorage();
      this.tree = BTree.empty(storage, NATURAL);
    }

    private IndexStorage<Long> newStorage() {
      long cache = rnd.nextInt(4) == 0 ? 2_000 : 1L << 24; // a tiny cache forces evictions
      return IndexStorage.builder(store).nodeSize(nodeSize).cacheBytes(cache).build(KeyCodecs.longs());
    }

    private long key() {
      return rnd.nextLong(-range / 10, range);
    }

    private Long bound() {
      return rnd.nextInt(8) == 0 ? null : rnd.nextLong(-range / 5, range + range / 5);
    }

    void run() {
      int steps = 300 + rnd.nextInt(400);
      int step = 0;
      try {
        for (; step < steps; step++) {
          step();
          if (step % 10 == 0) {
            op += " / verify";
            checkInvariants();
          }
        }
        checkInvariants();
        for (int i = 0; i < oldTrees.size(); i++) {
          op = "old version " + i;
          assertThat(list(oldTrees.get(i))).containsExactlyElementsOf(oldModels.get(i));
        }
      } catch (Throwable t) {
        throw new AssertionError(
            "seed " + seed + " (nodeSize " + nodeSize + ", range " + range + ") failed at step " + step
                + " in " + op + "; replay with -Ddatahop.seed=" + seed,
            t);
      }
    }

    private void step() {
      int dice = rnd.nextInt(100);
      if (dice < 35) {
        long k = key();
        op = "insert " + k;
        BTree<Long> before = tree;
        tree = tree.insert(k);
        boolean added = model.add(k);
        assertThat(tree != before).as("insert changed the tree").isEqualTo(added);
      } else if (dice < 50) {
        long k = rnd.nextInt(3) == 0 || model.isEmpty() ? key() : nth(rnd.nextInt(model.size()));
        op = "remove " + k;
        BTree<Long> before = tree;
        tree = tree.remove(k);
        boolean removed = model.remove(k);
        assertThat(tree != before).as("remove changed the tree").isEqualTo(removed);
      } else if (dice < 56) {
        int n = rnd.nextInt(2 * nodeSize * nodeSize);
        op = "transient batch of " + n;
        Transient<Long> t = tree.asTransient();
        for (int i = 0; i < n; i++) {
          long k = key();
          if (rnd.nextInt(3) == 0) {
            assertThat(t.remove(k)).isEqualTo(model.remove(k));
          } else {
            assertThat(t.insert(k)).isEqualTo(model.add(k));
          }
        }
        assertThat(t.count()).isEqualTo(model.size());
        tree = t.persistent();
      } else if (dice < 58 && rnd.nextBoolean()) {
        // a sorted run (some keys already present) in one walk, as an index overlay takes a tx
        // long runs too: from Mutation.PARALLEL_RUN keys on, two threads share the work at the root
        int n = rnd.nextInt(3) == 0 ? Mutation.PARALLEL_RUN + rnd.nextInt(1500) : rnd.nextInt(3 * nodeSize * nodeSize);
        op = "sorted run of " + n;
        NavigableSet<Long> run = new TreeSet<>();
        for (int i = 0; i < n; i++) {
          run.add(key());
        }
        Transient<Long> t = tree.asTransient();
        if (rnd.nextBoolean()) {
          long k = key(); // nodes this transient owns already, changed by the run in place or not
          assertThat(t.insert(k)).isEqualTo(model.add(k));
        }
        int fresh = 0;
        for (Long k : run) {
          fresh += model.contains(k) ? 0 : 1;
        }
        assertThat(t.insertSorted(List.copyOf(run))).isEqualTo(fresh);
        model.addAll(run);
        assertThat(t.count()).isEqualTo(model.size());
        tree = t.persistent();
      } else if (dice < 58) {
        op = "bulk build of " + model.size();
        tree = BTree.build(storage, NATURAL, model);
      } else if (dice < 64) {
        op = "flush";
        Address a = tree.flush();
        assertThat(tree.address()).contains(a);
        long before = storage.stats().nodesWritten();
        assertThat(tree.flush()).isEqualTo(a);
        assertThat(storage.stats().nodesWritten()).as("second flush writes nothing").isEqualTo(before);
      } else if (dice < 70) {
        boolean cold = rnd.nextBoolean();
        op = "reload" + (cold ? " (cold cache)" : "");
        Address a = tree.flush();
        if (cold) {
          storage = newStorage();
        }
        long loads = storage.stats().nodeLoads();
        tree = BTree.load(storage, NATURAL, a);
        assertThat(storage.stats().nodeLoads()).as("load reads nothing").isEqualTo(loads);
      } else if (dice < 80) {
        Long from = bound();
        Long to = bound();
        op = "slice " + from + " " + to;
        assertThat(list(tree.slice(from, to))).containsExactlyElementsOf(sub(from, to));
        op = "rslice " + to + " " + from;
        assertThat(list(tree.rslice(to, from))).containsExactlyElementsOf(sub(from, to).reversed());
      } else if (dice < 86) {
        Long from = bound();
        Long to = bound();
        op = "count " + from + " " + to;
        assertThat(tree.count(from, to)).isEqualTo(sub(from, to).size());
        assertThat(tree.count()).isEqualTo(model.size());
      } else if (dice < 91) {
        Long from = bound();
        Long to = bound();
        op = "bucket slice " + from + " " + to;
        List<Long> expected =
            model.stream()
                .filter(k -> (from == null || BUCKET.compare(k, from) >= 0) && (to == null || BUCKET.compare(k, to) <= 0))
                .toList();
        assertThat(list(tree.slice(from, to, BUCKET))).containsExactlyElementsOf(expected);
        assertThat(list(tree.rslice(to, from, BUCKET))).containsExactlyElementsOf(expected.reversed());
        assertThat(tree.count(from, to, BUCKET)).isEqualTo(expected.size());
      } else if (dice < 97) {
        long k = key();
        op = "contains/seek " + k;
        assertThat(tree.contains(k)).isEqualTo(model.contains(k));
        assertThat(first(tree.seek(k))).isEqualTo(model.ceiling(k));
        assertThat(first(tree.rseek(k))).isEqualTo(model.floor(k));
      } else if (dice < 99) {
        int n = rnd.nextInt(3 * nodeSize);
        long start = model.isEmpty() ? 0 : model.last() + 1;
        boolean batch = rnd.nextBoolean();
        op = (batch ? "transient" : "persistent") + " append of " + n + " from " + start;
        Transient<Long> t = batch ? tree.asTransient() : null;
        for (long k = start; k < start + n; k++) {
          if (batch) {
            assertThat(t.insert(k)).isTrue();
          } else {
            tree = tree.insert(k);
          }
          model.add(k);
        }
        if (batch) {
          tree = t.persistent();
        }
      } else {
        op = "keep old version";
        oldTrees.add(tree);
        oldModels.add(new TreeSet<>(model));
      }
    }

    private void checkInvariants() {
      VerifyReport r = tree.verify();
      assertThat(r.keys()).isEqualTo(model.size());
      assertThat(r.depth()).isEqualTo(tree.depth());
      assertThat(list(tree)).containsExactlyElementsOf(model);
      tree.forEachAddress(a -> assertThat(store.contains(a)).as("address %s resolves", a).isTrue());
    }

    private long nth(int i) {
      return model.stream().skip(i).findFirst().orElseThrow();
    }

    private List<Long> sub(Long from, Long to) {
      if (from != null && to != null && from > to) {
        return List.of();
      }
      NavigableSet<Long> s = model;
      if (from != null) {
        s = s.tailSet(from, true);
      }
      if (to != null) {
        s = s.headSet(to, true);
      }
      return new ArrayList<>(s);
    }
  }

  private static Long first(Iterable<Long> it) {
    var i = it.iterator();
    return i.hasNext() ? i.next() : null;
  }

  static List<Long> list(Iterable<Long> it) {
    List<Long> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }
}
