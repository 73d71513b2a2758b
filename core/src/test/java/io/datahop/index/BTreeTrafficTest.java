package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.Address;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** How many nodes operations read and write, through the storage counters and the store's own. */
class BTreeTrafficTest {
  private static final Comparator<Long> NATURAL = Comparator.naturalOrder();
  private final CountingStore store = new CountingStore();

  private IndexStorage<Long> storage() {
    return IndexStorage.builder(store).nodeSize(16).build(KeyCodecs.longs());
  }

  /** 100k even keys at node size 16: depth 5. */
  private Address bigTree(IndexStorage<Long> s) {
    return BTree.build(s, NATURAL, LongStream.range(0, 100_000).map(i -> 2 * i).boxed().toList()).flush();
  }

  @Test
  void loadingFromARootReadsNothingAndAPointLookupReadsDepthNodes() {
    Address root = bigTree(storage());
    IndexStorage<Long> cold = storage();
    long gets = store.gets.get();
    BTree<Long> t = BTree.load(cold, NATURAL, root);
    assertThat(cold.stats().nodeLoads()).isZero();
    assertThat(store.gets.get()).isEqualTo(gets);

    assertThat(t.contains(123_456L)).isTrue();
    int depth = t.depth();
    assertThat(depth).isEqualTo(5);
    assertThat(cold.stats().nodeLoads()).isEqualTo(depth);
    assertThat(store.gets.get() - gets).isEqualTo(depth);

    IndexStats before = cold.stats();
    assertThat(t.contains(123_457L)).isFalse();
    IndexStats warm = cold.stats().minus(before);
    assertThat(warm.nodeLoads()).isZero();
    assertThat(warm.cacheHits()).isEqualTo(depth); // a loaded tree holds its root by address too
  }

  @Test
  void aSeekInAFreshCacheReadsDepthNodesThenOneLeafPerLeafScanned() {
    Address root = bigTree(storage());
    IndexStorage<Long> cold = storage();
    BTree<Long> t = BTree.load(cold, NATURAL, root);
    var it = t.seek(50_000L).iterator();
    assertThat(it.next()).isEqualTo(50_000L);
    assertThat(cold.stats().nodeLoads()).isEqualTo(5);
    int n = 0;
    while (it.hasNext() && n < 1_000) {
      it.next();
      n++;
    }
    // 1000 keys over leaves of 14: at most 73 more leaves plus the branches above them
    assertThat(cold.stats().nodeLoads()).isBetween(5L + 71, 5L + 80);
  }

  @Test
  void flushAfterOneInsertIntoABigStoredTreeWritesOnlyThePath() {
    IndexStorage<Long> s = storage();
    Address root = bigTree(s);
    for (BTree<Long> t : java.util.List.of(BTree.load(s, NATURAL, root), BTree.load(storage(), NATURAL, root))) {
      IndexStats before = t.storage().stats();
      int puts = (int) store.puts.get();
      BTree<Long> t2 = t.insert(77_777L);
      Address root2 = t2.flush();
      IndexStats d = t.storage().stats().minus(before);
      assertThat(d.nodesWritten()).isEqualTo(t.depth());
      assertThat(store.puts.get() - puts).isEqualTo(t.depth());
      assertThat(root2).isNotEqualTo(root);
      assertThat(BTree.load(s, NATURAL, root2).contains(77_777L)).isTrue();
      assertThat(t.contains(77_777L)).isFalse();
    }
  }

  @Test
  void flushingACleanTreeWritesNothing() {
    IndexStorage<Long> s = storage();
    Address root = bigTree(s);
    BTree<Long> t = BTree.load(s, NATURAL, root);
    long puts = store.puts.get();
    assertThat(t.flush()).isEqualTo(root);
    assertThat(t.insert(0L).flush()).isEqualTo(root); // 0 is present: the same tree
    assertThat(store.puts.get()).isEqualTo(puts);
  }

  @Test
  void forEachAddressVisitsExactlyTheNodesOfAFlushedTree() {
    IndexStorage<Long> s = storage();
    Address root = bigTree(s);
    Set<Address> seen = new HashSet<>();
    IndexStorage<Long> cold = storage();
    BTree<Long> t = BTree.load(cold, NATURAL, root);
    t.forEachAddress(seen::add);
    assertThat(seen).hasSize(store.size());
    VerifyReport r = t.verify();
    assertThat(r.nodes()).isEqualTo(store.size());
    assertThat(r.dirtyNodes()).isZero();
    assertThat(r.keys()).isEqualTo(100_000);
    assertThat(r.depth()).isEqualTo(5);
    // the walk reads branches only, never leaves
    assertThat(cold.stats().nodeLoads()).isLessThan(r.nodes() - r.leaves() + 1 + r.nodes());
  }

  @Test
  void aRemovedKeyLeavesAnOldVersionIntact() {
    IndexStorage<Long> s = storage();
    BTree<Long> t = BTree.load(s, NATURAL, bigTree(s));
    BTree<Long> fewer = t;
    Transient<Long> tr = t.asTransient();
    for (long k = 0; k < 20_000; k += 2) {
      assertThat(tr.remove(k)).isTrue();
    }
    fewer = tr.persistent();
    assertThat(fewer.count()).isEqualTo(90_000);
    assertThat(t.count()).isEqualTo(100_000);
    assertThat(fewer.count(0L, 30_000L)).isEqualTo(5_001);
    fewer.verify();
    t.verify();
  }
}
