package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.Stores;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch of datoms lands in every index in that index's order, whatever shape the batch has:
 * entities grouped or scattered, attribute ids dense or far apart, one value type per
 * attribute or several, small batches and batches big enough to build AVET on a second thread
 * and flush on two. Seed printed on failure; pin one with {@code -Ddatahop.seed=N}.
 */
class IndexesTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(3L, 77L, System.nanoTime());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyIndexHoldsTheBatchInItsOrder(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 5; round++) {
      int n = round < 4 ? 10 + r.nextInt(300) : 100_000 + r.nextInt(20_000);
      boolean grouped = r.nextBoolean();
      boolean sparse = r.nextInt(3) == 0;
      boolean mixed = r.nextInt(3) == 0;
      List<Datom> batch = batch(r, n, grouped, sparse, mixed);
      String where = "seed " + seed + " round " + round + " n " + n + " grouped " + grouped + " sparse " + sparse
          + " mixed " + mixed;
      LongPredicate isRef = a -> a % 3 == 0;
      Store store = Stores.open("mem:indexes-" + UUID.randomUUID(), true);
      Indexes ix = new IndexContext(store).emptyIndexes().update(List.of(), batch, isRef);
      // read back through a second context: nothing cached, every node decoded from its bytes
      Indexes stored = new IndexContext(store).loadIndexes(rootsOf(ix.materialize()), 0);
      for (IndexType t : IndexType.values()) {
        List<Datom> want = new ArrayList<>(t == IndexType.VAET ? batch.stream().filter(d -> isRef.test(d.a())).toList() : batch);
        want.sort(DatomOrder.of(t));
        assertThat(all(ix.get(t))).as(where + " " + t).isEqualTo(want);
        assertThat(all(stored.get(t))).as(where + " " + t + " stored").isEqualTo(want);
      }
      long[] refs = Indexes.refAttrs(batch, isRef);
      assertThat(refs).as(where).isEqualTo(batch.stream().mapToLong(Datom::a).filter(isRef::test).distinct().sorted().toArray());
    }
  }

  private static Address[] rootsOf(Indexes ix) {
    return new Address[] {ix.eavt().baseAddress(), ix.aevt().baseAddress(), ix.avet().baseAddress(), ix.vaet().baseAddress()};
  }

  private static List<Datom> batch(SplittableRandom r, int n, boolean grouped, boolean sparse, boolean mixed) {
    long tx = Ids.txEid(5);
    int attrs = 1 + r.nextInt(12);
    long[] ids = new long[attrs];
    for (int i = 0; i < attrs; i++) ids[i] = sparse && i % 2 == 1 ? 100 + i + (1L << 40) : 100 + i;
    LinkedHashSet<Datom> out = new LinkedHashSet<>();
    long e = Ids.USER_PART + r.nextInt(1000);
    while (out.size() < n) {
      if (!grouped || r.nextInt(4) == 0) e = grouped ? e + 1 + r.nextInt(3) : Ids.USER_PART + r.nextInt(n);
      int ai = r.nextInt(attrs);
      long a = ids[ai];
      Object v = switch (mixed ? r.nextInt(4) : ai % 4) {
        case 0 -> "s" + r.nextInt(n);
        case 1 -> (long) r.nextInt(n) - n / 2;
        case 2 -> r.nextInt(n) / 7.0;
        default -> a % 3 == 0 ? (Object) (Ids.USER_PART + r.nextInt(n)) : io.datahop.edn.Keyword.of("k/" + r.nextInt(50));
      };
      if (a % 3 == 0) v = Ids.USER_PART + r.nextInt(n); // refs hold entity ids
      out.add(new Datom(e, a, v, tx, true));
    }
    return new ArrayList<>(out);
  }

  private static List<Datom> all(DatomIndex ix) {
    List<Datom> out = new ArrayList<>();
    for (Iterator<Datom> it = ix.slice(null, null); it.hasNext(); ) out.add(it.next());
    return out;
  }
}
