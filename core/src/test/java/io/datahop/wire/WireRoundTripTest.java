package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import io.datahop.edn.Edn;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.testkit.RandomValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every value type survives encode then decode, alone and nested. */
class WireRoundTripTest {
  private static final FressianCodec CODEC = FressianCodec.builder().resolveDbRefs(false).build();

  private static Object roundTrip(Object v) {
    return CODEC.decode(CODEC.encode(v));
  }

  static long[] seeds() {
    long base = RandomValues.seed("datahop.seed", 5_000L);
    long[] s = new long[100];
    for (int i = 0; i < s.length; i++) {
      s[i] = base + i;
    }
    return s;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomNestedValuesRoundTrip(long seed) {
    RandomValues gen = new RandomValues(new SplittableRandom(seed), true);
    for (int i = 0; i < 30; i++) {
      Object v = gen.value(5);
      Object back = roundTrip(v);
      assertThat(RandomValues.deepEquals(v, back))
          .as("seed %d value %d (replay with -Ddatahop.seed=%d): %s came back as %s", seed, i, seed, Edn.write(v), Edn.write(back))
          .isTrue();
    }
  }

  @Test
  void scalarsKeepTheirTypes() {
    for (Object v :
        List.of(
            true, false, 0L, -1L, 63L, 64L, -4096L, 4095L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, -(1L << 47),
            0.0, 1.0, -0.0, 3.25, Double.NaN, Double.NEGATIVE_INFINITY, 1.5f, Float.NaN,
            new BigInteger("123456789012345678901234567890"), BigInteger.ZERO, BigInteger.valueOf(-5),
            new BigDecimal("-1.2500"), new BigDecimal("1E+400"), "", "hello", "ünïcødé ☃ 😀",
            'x', '\u0000', '\ud83d', Keyword.of("person/name"), Keyword.of("a"), Symbol.of("?e"),
            Symbol.of("clojure.core/str"), new UUID(-1, 42), Instant.parse("2020-01-02T03:04:05.123Z"),
            Instant.parse("2020-01-02T03:04:05.123456789Z"), Instant.MIN, Instant.MAX)) {
      Object back = roundTrip(v);
      assertThat(back).as("%s", v).isEqualTo(v);
      assertThat(back.getClass()).isEqualTo(v.getClass());
    }
    assertThat(roundTrip(null)).isNull();
  }

  @Test
  void narrowIntegersAndDatesComeBackAsTheirEdnTypes() {
    assertThat(roundTrip(7)).isEqualTo(7L);
    assertThat(roundTrip((short) -3)).isEqualTo(-3L);
    assertThat(roundTrip((byte) 9)).isEqualTo(9L);
    assertThat(roundTrip(new Date(1234567))).isEqualTo(Instant.ofEpochMilli(1234567));
  }

  @Test
  void bytesOfEverySizeIncludingChunked() {
    for (int n : new int[] {0, 1, 7, 8, 100, 65535, 65536, 200_001}) {
      byte[] b = new byte[n];
      new SplittableRandom(n).nextBytes(b);
      assertThat((byte[]) roundTrip(b)).as("%d bytes", n).isEqualTo(b);
    }
  }

  @Test
  void longStringsAreChunkedAndComeBack() {
    String s = "ab☃😀".repeat(50_000);
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void listsStayListsAndVectorsStayVectors() {
    Object list = roundTrip(EdnList.of(Symbol.of("count"), Symbol.of("?x")));
    Object vector = roundTrip(List.of(Symbol.of("?x"), Symbol.of("...")));
    assertThat(list).isInstanceOf(EdnList.class).isEqualTo(List.of(Symbol.of("count"), Symbol.of("?x")));
    assertThat(vector).isNotInstanceOf(EdnList.class).isInstanceOf(RandomAccess.class);
    assertThatThrownBy(() -> ((List<Object>) vector).add(1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void mapsAndSetsKeepOrderAndAreUnmodifiable() {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 100; i > 0; i--) {
      m.put(Keyword.of("k" + i), i % 3 == 0 ? null : (long) i);
    }
    Map<?, ?> back = (Map<?, ?>) roundTrip(m);
    assertThat(new ArrayList<>(back.keySet())).isEqualTo(new ArrayList<>(m.keySet()));
    assertThat(back).isEqualTo(m);
    Set<Object> s = new LinkedHashSet<>(List.of("z", "a", 3L, Keyword.of("q")));
    assertThat(new ArrayList<>((Set<?>) roundTrip(s))).isEqualTo(new ArrayList<>(s));
    assertThatThrownBy(() -> ((Map<Object, Object>) back).put(1, 2)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void datomsAndQueryResultsRoundTrip() {
    List<Datom> datoms = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      datoms.add(new Datom(i, 10 + i % 5, i % 2 == 0 ? "v" + i : (Object) (long) i, 1000 + i / 10, i % 7 != 0));
    }
    assertThat(roundTrip(datoms)).isEqualTo(datoms);
    Set<List<Object>> result = new LinkedHashSet<>();
    for (int i = 0; i < 500; i++) {
      result.add(List.of((long) i, "name " + i, Keyword.of(i % 2 == 0 ? "male" : "female")));
    }
    assertThat(roundTrip(result)).isEqualTo(result);
  }

  @Test
  void manyDistinctKeywordsUseTheLongCacheForm() {
    List<Object> ks = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      for (int i = 0; i < 300; i++) {
        ks.add(Keyword.of("attr/k" + i));
      }
    }
    byte[] bytes = CODEC.encode(ks);
    assertThat(CODEC.decode(bytes)).isEqualTo(ks);
    // repeated keywords are cache references: far smaller than three full copies
    assertThat(bytes.length).isLessThan(2 * CODEC.encode(ks.subList(0, 300)).length);
  }

  record Point(long x, long y) {}

  @Test
  void registeredUserTypesRoundTrip() {
    FressianCodec codec =
        FressianCodec.builder()
            .resolveDbRefs(false)
            .register(Point.class, "test/point", p -> List.of(p.x(), p.y()),
                v -> new Point((Long) ((List<?>) v).get(0), (Long) ((List<?>) v).get(1)))
            .build();
    Object v = Map.of(Keyword.of("at"), List.of(new Point(1, 2), new Point(-3, 4)));
    assertThat(codec.decode(codec.encode(v))).isEqualTo(v);
    assertThatThrownBy(() -> CODEC.encode(new Point(1, 2)))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasFieldOrPropertyWithValue("code", "wire/unencodable")
        .hasMessageContaining(Point.class.getName());
    // the standard codec refuses the tag it does not know
    assertThatThrownBy(() -> CODEC.decode(codec.encode(new Point(1, 2))))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("unknown tag 'test/point'");
  }

  @Test
  void builderRefusesConflictingRegistrations() {
    assertThatThrownBy(() -> FressianCodec.builder().register(Point.class, "map", p -> 1, v -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built in");
    assertThatThrownBy(() -> FressianCodec.builder()
            .register(Point.class, "t/a", p -> 1, v -> null)
            .register(String.class, "t/a", p -> 1, v -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    assertThatThrownBy(() -> FressianCodec.builder()
            .register(Point.class, "t/a", p -> 1, v -> null)
            .register(Point.class, "t/b", p -> 1, v -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    assertThatThrownBy(() -> FressianCodec.builder().maxDepth(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cyclicValuesFailAtTheSenderWithoutStackOverflow() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    assertThatThrownBy(() -> CODEC.encode(cyclic))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasFieldOrPropertyWithValue("code", "wire/too-deep");
  }

  @Test
  void nestingUpToTheLimitRoundTrips() {
    Object v = "leaf";
    for (int i = 0; i < 1000; i++) {
      v = i % 2 == 0 ? List.of(v) : Map.of(Keyword.of("k"), v);
    }
    assertThat(roundTrip(v)).isEqualTo(v);
  }

  @Test
  void arraysAreRefusedRatherThanWrittenInAFormNoReaderAccepts() {
    assertThatThrownBy(() -> CODEC.encode(new int[] {1, 2})).isInstanceOf(DatahopException.Incorrect.class);
    assertThat(roundTrip(Arrays.asList(1L, null))).isEqualTo(Arrays.asList(1L, null));
  }
}
