package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.Address;
import io.datahop.store.FileStore;
import io.datahop.store.MemStore;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree big enough to be flushed on two threads is stored whole, and its root is the same as anywhere. */
class BTreeParallelFlushTest {
  @TempDir Path dir;

  @Test
  void aBigTreeFlushedOnTwoThreadsReadsBackWholeFromAFreshStoreWithTheSameRoot() {
    long seed = Long.getLong("datahop.seed", new SplittableRandom().nextLong());
    SplittableRandom r = new SplittableRandom(seed);
    int n = (int) BTree.PARALLEL_FLUSH_KEYS * 3 + r.nextInt(10_000);
    long[] keys = new long[n];
    long k = r.nextLong(-1_000_000, 1_000_000);
    for (int i = 0; i < n; i++) {
      k += 1 + r.nextInt(r.nextInt(4) == 0 ? 1_000_000 : 10); // big and small deltas: 1- and 4-byte varints
      keys[i] = k;
    }
    Address root;
    try (FileStore store = FileStore.open(dir, true)) {
      BTree<Long> t = BTree.build(IndexStorage.builder(store).build(KeyCodecs.longs()), Comparator.naturalOrder(),
          LongStream.of(keys).boxed().iterator());
      root = t.flush();
      assertThat(t.flush()).isEqualTo(root);
    }
    try (FileStore store = FileStore.open(dir, false)) {
      BTree<Long> back = BTree.load(IndexStorage.builder(store).build(KeyCodecs.longs()), Comparator.naturalOrder(), root);
      assertThat(back.verify().keys()).as("seed %d", seed).isEqualTo(n);
      Iterator<Long> it = back.iterator();
      for (int i = 0; i < n; i++) {
        assertThat(it.next()).as("seed %d key %d", seed, i).isEqualTo(keys[i]);
      }
      assertThat(it.hasNext()).isFalse();
    }
    // the nodes are content-addressed: the same keys give the same root whichever thread wrote what
    MemStore mem = new MemStore();
    BTree<Long> again = BTree.build(IndexStorage.builder(mem).build(KeyCodecs.longs()), Comparator.naturalOrder(),
        LongStream.of(keys).boxed().iterator());
    assertThat(again.flush()).as("seed %d", seed).isEqualTo(root);
  }
}
