package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tree built from an already-checked sorted list ({@link BTree#buildSorted}) is the very tree
 * {@link BTree#build} makes from the same keys: the same root address once stored, so the same
 * nodes byte for byte, for sizes around every node boundary. Seed printed on failure; pin one
 * with {@code -Ddatahop.seed=N}.
 */
class BulkBuildTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(5L, System.nanoTime());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void buildSortedMakesTheSameTreeAsBuild(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 60; round++) {
      int nodeSize = 4 + r.nextInt(30);
      int n = switch (round % 3) {
        case 0 -> r.nextInt(3 * nodeSize); // one leaf or a few: the last-node balancing
        case 1 -> r.nextInt(nodeSize * nodeSize * 2);
        default -> 5_000 + r.nextInt(20_000);
      };
      List<Long> keys = new ArrayList<>(n);
      long k = r.nextLong(1000);
      for (int i = 0; i < n; i++) keys.add(k += 1 + r.nextInt(5));
      IndexStorage<Long> storage = IndexStorage.builder(new CountingStore()).nodeSize(nodeSize).build(KeyCodecs.longs());
      BTree<Long> built = BTree.build(storage, Comparator.naturalOrder(), keys);
      BTree<Long> fromSorted = BTree.buildSorted(storage, Comparator.naturalOrder(), keys);
      String where = "seed " + seed + " round " + round + " n " + n + " node size " + nodeSize;
      assertThat(fromSorted.depth()).as(where).isEqualTo(built.depth());
      assertThat(fromSorted.flush()).as(where).isEqualTo(built.flush());
      assertThat(fromSorted.verify().keys()).as(where).isEqualTo(n);
    }
  }
}
