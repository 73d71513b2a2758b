package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class KeyCodecsTest {
  private static <K> List<Object> roundTrip(KeyCodec<K> codec, List<K> keys) {
    NodeOutput out = new NodeOutput(8);
    codec.encode(keys, out);
    byte[] b = out.toByteArray();
    NodeInput in = new NodeInput(b);
    Object[] dst = new Object[keys.size()];
    codec.decode(in, keys.size(), dst);
    assertThat(in.remaining()).isZero();
    return List.of(dst);
  }

  @Test
  void longsRoundTripIncludingExtremes() {
    List<Long> keys = List.of(Long.MIN_VALUE, -5L, 0L, 1L, 1_000_000_000_000L, Long.MAX_VALUE);
    assertThat(roundTrip(KeyCodecs.longs(), keys)).containsExactlyElementsOf(keys);
  }

  @Test
  void stringsRoundTripWithSharedPrefixesAndSurrogatePairs() {
    RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(42);
    String[] alphabet = {"a", "b", "é", "\uD83D\uDE00", "\uD83D\uDE01", "z"};
    TreeSet<String> set = new TreeSet<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = rnd.nextInt(8); j >= 0; j--) {
        sb.append(alphabet[rnd.nextInt(alphabet.length)]);
      }
      set.add(sb.toString());
    }
    List<String> keys = new ArrayList<>(set);
    assertThat(roundTrip(KeyCodecs.strings(), keys)).containsExactlyElementsOf(keys);
  }

  @Test
  void aStringTreeSurvivesFlushAndReload() {
    CountingStore store = new CountingStore();
    IndexStorage<String> s = IndexStorage.builder(store).nodeSize(8).build(KeyCodecs.strings());
    BTree<String> t = BTree.empty(s, Comparator.naturalOrder());
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      words.add("key-" + Integer.toString(i * 7919 % 1000, 36));
    }
    for (String w : words) {
      t = t.insert(w);
    }
    var back = BTree.load(IndexStorage.builder(store).nodeSize(8).build(KeyCodecs.strings()),
        Comparator.<String>naturalOrder(), t.flush());
    List<String> out = new ArrayList<>();
    back.forEach(out::add);
    assertThat(out).containsExactlyElementsOf(new TreeSet<>(words));
    back.verify();
  }
}
