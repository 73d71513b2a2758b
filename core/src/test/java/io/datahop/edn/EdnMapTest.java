package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datahop.DatahopException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The maps the reader builds, small (a linear array) or big (hashed), keep the Map contract the
 * code base relies on: source order, equality and hash code with any other Map, lookups with
 * {@code nil} and equal-but-not-identical keys, unmodifiable, and a duplicate key is an error.
 * Seeded; seed printed on failure, pinned with {@code -Ddatahop.seed=N}.
 */
class EdnMapTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(7L, System.nanoTime());
  }

  /** Distinct keys of assorted kinds, equal keys made afresh (not identical) on each call. */
  private static Object key(int i) {
    return switch (i % 6) {
      case 0 -> Keyword.of("k/a" + i);
      case 1 -> (long) i;
      case 2 -> "s" + i;
      case 3 -> List.of((long) i, "v");
      case 4 -> i == 4 ? null : Symbol.of("sym" + i);
      default -> (double) i + 0.5;
    };
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void behavesLikeALinkedHashMapOfTheSameEntries(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      int n = r.nextInt(SmallMap.MAX + 4); // both sides of the small/hashed boundary
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < 40 && ids.size() < n; i++) {
        int id = r.nextInt(40);
        if (!ids.contains(id)) ids.add(id);
      }
      LinkedHashMap<Object, Object> expected = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder("{");
      for (int id : ids) {
        Object v = r.nextBoolean() ? null : (long) r.nextInt(5);
        expected.put(key(id), v);
        text.append(Edn.write(key(id))).append(' ').append(Edn.write(v)).append(", ");
      }
      String src = text.append('}').toString();
      @SuppressWarnings("unchecked")
      Map<Object, Object> m = (Map<Object, Object>) Edn.read(src);
      String as = "seed " + seed + ": " + src;
      assertThat(new ArrayList<>(m.keySet())).as(as).isEqualTo(new ArrayList<>(expected.keySet()));
      assertThat(new ArrayList<>(m.values())).as(as).isEqualTo(new ArrayList<>(expected.values()));
      assertThat(new ArrayList<>(m.entrySet())).as(as).isEqualTo(new ArrayList<>(expected.entrySet()));
      assertThat(m).as(as).isEqualTo(expected).isEqualTo(new HashMap<>(expected)).hasSize(expected.size());
      assertThat(expected).as(as).isEqualTo(m);
      assertThat(new HashMap<>(expected)).as(as).isEqualTo(m);
      assertThat(m.hashCode()).as(as).isEqualTo(expected.hashCode());
      assertThat(m.toString()).as(as).isEqualTo(expected.toString());
      assertThat(m.isEmpty()).isEqualTo(expected.isEmpty());
      for (int id = 0; id < 40; id++) {
        Object k = key(id);
        assertThat(m.containsKey(k)).as(as + " containsKey " + k).isEqualTo(expected.containsKey(k));
        assertThat(m.get(k)).as(as + " get " + k).isEqualTo(expected.get(k));
        assertThat(m.getOrDefault(k, "d")).as(as).isEqualTo(expected.getOrDefault(k, "d"));
      }
      assertThat(m.containsValue(null)).isEqualTo(expected.containsValue(null));
      assertThat(m.containsValue(3L)).isEqualTo(expected.containsValue(3L));
      if (!expected.isEmpty()) {
        Map.Entry<Object, Object> first = expected.entrySet().iterator().next();
        assertThat(m.entrySet()).contains(first);
        assertThat(m.entrySet().contains(new java.util.AbstractMap.SimpleEntry<>(first.getKey(), "no such value"))).isFalse();
        LinkedHashMap<Object, Object> changed = new LinkedHashMap<>(expected);
        changed.put(first.getKey(), "changed");
        assertThat(m).as(as).isNotEqualTo(changed);
      }
      Map<Object, Object> bigger = new LinkedHashMap<>(expected);
      bigger.put("another key", 1L);
      assertThat(m).isNotEqualTo(bigger);
      assertThat(bigger).isNotEqualTo(m);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 8, 9, 20})
  void isUnmodifiableThroughEveryView(int n) {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < n; i++) text.append(":k").append(i).append(' ').append(i).append(' ');
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) Edn.read(text.append('}').toString());
    Keyword k0 = Keyword.of("k0");
    List<Consumer<Map<Object, Object>>> mutations = List.of(
        x -> x.put(k0, 1L), x -> x.remove(k0), x -> x.clear(), x -> x.putAll(Map.of("a", 1L)),
        x -> x.putIfAbsent("new", 1L), x -> x.replaceAll((k, v) -> v), x -> x.computeIfAbsent("new", k -> 1L),
        x -> x.merge(k0, 1L, (a, b) -> b), x -> x.keySet().clear(), x -> x.values().clear(),
        x -> x.entrySet().clear(), x -> x.entrySet().iterator().next().setValue(2L),
        x -> {
          var it = x.keySet().iterator();
          it.next();
          it.remove();
        });
    for (Consumer<Map<Object, Object>> mutation : mutations) {
      if (n == 0) continue; // nothing to reach through an empty map's iterators
      assertThatThrownBy(() -> mutation.accept(m)).isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(m).hasSize(n);
    if (n <= SmallMap.MAX) assertThat(m).isInstanceOf(SmallMap.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{:a 1 :a 2}", "{1 :x 1 :y}", "{nil 1 nil 2}", "{[1 2] 1 (1 2) 2}", "{\"s\" 1 :b 2 \"s\" 3}",
      "{:a 1 :b 2 :c 3 :d 4 :e 5 :f 6 :g 7 :h 8 :i 9 :a 10}"})
  void aRepeatedKeyIsAnErrorAtTheMap(String text) {
    DatahopException.Incorrect e = catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read("\n  " + text));
    assertThat(e).as(text).isNotNull();
    assertThat(e.code()).isEqualTo("edn/duplicate-key");
    assertThat(e.context()).containsEntry("line", 2L).containsEntry("column", 3L);
    assertThat(e.getMessage()).contains("twice");
  }
}
