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

  @Test
  void aTwoThreadFlushLeavesTheCacheAloneAndAVersionReadingByAddressLoadsThenCachesWhatItTouches() {
    MemStore mem = new MemStore();
    IndexStorage<Long> s = IndexStorage.builder(mem).nodeSize(64).build(KeyCodecs.longs());
    int n = (int) BTree.PARALLEL_FLUSH_KEYS * 2;
    BTree<Long> t = BTree.build(s, Comparator.<Long>naturalOrder(), LongStream.range(0, n).boxed().iterator());
    t.flush();
    assertThat(s.cachedNodes()).as("a bulk load does not flood the cache").isLessThanOrEqualTo(1);
    IndexStats before = s.stats();
    assertThat(t.count()).isEqualTo(n);
    long seen = 0;
    for (long key : t) {
      assertThat(key).isEqualTo(seen++);
    }
    assertThat(s.stats().minus(before).nodeLoads()).as("the flushed tree holds its nodes").isZero();

    // a new version refers to the nodes it did not change by address: it loads those it touches, once
    Transient<Long> edit = t.asTransient();
    edit.insert((long) n);
    BTree<Long> next = edit.persistent();
    before = s.stats();
    long first = 0;
    for (long key : next) {
      assertThat(key).isEqualTo(first++);
    }
    assertThat(first).isEqualTo(n + 1);
    assertThat(s.stats().minus(before).nodeLoads()).isPositive();
    before = s.stats();
    for (long ignored : next) {
      // again: what the first scan loaded is cached now
    }
    assertThat(s.stats().minus(before).nodeLoads()).isZero();
  }
}
