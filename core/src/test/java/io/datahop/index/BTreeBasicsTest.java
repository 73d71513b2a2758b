package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BTreeBasicsTest {
  private final CountingStore store = new CountingStore();
  private final IndexStorage<Long> storage =
      IndexStorage.builder(store).nodeSize(8).build(KeyCodecs.longs());

  private static List<Long> list(Iterable<Long> it) {
    List<Long> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }

  @Test
  void insertsIterateInOrderAndSurviveAFlushAndReload() {
    BTree<Long> t = BTree.empty(storage, Comparator.naturalOrder());
    for (long k : new long[] {5, 3, 9, 1, 7, 2, 8, 4, 6, 0, 10, 11, 12, 13, 14, 15, 16}) {
      t = t.insert(k);
    }
    assertThat(list(t)).containsExactlyElementsOf(LongStream.rangeClosed(0, 16).boxed().toList());
    Address root = t.flush();
    BTree<Long> back = BTree.load(storage, Comparator.naturalOrder(), root);
    assertThat(list(back.slice(3L, 7L))).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(list(back.rslice(7L, 3L))).containsExactly(7L, 6L, 5L, 4L, 3L);
    assertThat(back.count(3L, 7L)).isEqualTo(5);
    assertThat(back.count()).isEqualTo(17);
    assertThat(back.verify().keys()).isEqualTo(17);
  }
}
