package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Tree values are shared between threads: readers of one stored tree through a cache small enough
 * to evict constantly, while another thread derives and flushes new versions from it, all see
 * exactly the keys of their version.
 */
class BTreeConcurrencyTest {
  @Test
  void readersAndAWriterShareOneTreeThroughATinyCache() throws Exception {
    CountingStore store = new CountingStore();
    IndexStorage<Long> storage =
        IndexStorage.builder(store).nodeSize(8).cacheBytes(20_000).build(KeyCodecs.longs());
    Comparator<Long> order = Comparator.naturalOrder();
    BTree<Long> base =
        BTree.load(storage, order, BTree.build(storage, order, LongStream.range(0, 20_000).map(i -> i * 2).boxed().toList()).flush());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        long seed = r;
        done.add(
            pool.submit(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(seed);
                  for (int i = 0; i < 1_000; i++) {
                    long k = rnd.nextLong(40_000);
                    assertThat(base.contains(k)).isEqualTo(k % 2 == 0);
                    long from = k;
                    long to = Math.min(39_999, k + rnd.nextInt(200));
                    long expected = (to / 2) - ((from + 1) / 2) + 1;
                    assertThat(base.count(from, to)).isEqualTo(expected);
                    long n = 0;
                    for (long x : base.slice(from, to)) {
                      assertThat(x % 2).isZero();
                      n++;
                    }
                    assertThat(n).isEqualTo(expected);
                  }
                }));
      }
      done.add(
          pool.submit(
              () -> {
                BTree<Long> t = base;
                for (int i = 0; i < 300; i++) {
                  t = t.insert(2L * i * 61 + 1).remove(4L * i);
                  t.flush();
                }
                assertThat(t.count()).isEqualTo(20_000);
                t.verify();
              }));
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(base.verify().keys()).isEqualTo(20_000);
  }
}
