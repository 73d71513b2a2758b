package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import io.datahop.testkit.RandomValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The printer's text, and that reading what it prints gives the value back. */
class EdnWriteTest {
  @Test
  void writesEachType() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("a"), 1L);
    m.put("b", Arrays.asList(2.0, null, true));
    assertThat(Edn.write(m)).isEqualTo("{:a 1, \"b\" [2.0 nil true]}");
    assertThat(Edn.write(EdnList.of(Symbol.of("count"), Symbol.of("?x")))).isEqualTo("(count ?x)");
    assertThat(Edn.write(new LinkedHashSet<>(List.of(1L, 2L)))).isEqualTo("#{1 2}");
    assertThat(Edn.write(1e10)).isEqualTo("1.0E10");
    assertThat(Edn.write(3.0)).isEqualTo("3.0");
    assertThat(Edn.write(Double.NaN)).isEqualTo("##NaN");
    assertThat(Edn.write(Double.NEGATIVE_INFINITY)).isEqualTo("##-Inf");
    assertThat(Edn.write(1.5f)).isEqualTo("1.5");
    assertThat(Edn.write(7)).isEqualTo("7");
    assertThat(Edn.write(new BigInteger("5"))).isEqualTo("5N");
    assertThat(Edn.write(new BigDecimal("1.50"))).isEqualTo("1.50M");
    assertThat(Edn.write("q\"\\\n\t\u0001")).isEqualTo("\"q\\\"\\\\\\n\\t\\u0001\"");
    assertThat(Edn.write('x')).isEqualTo("\\x");
    assertThat(Edn.write('\n')).isEqualTo("\\newline");
    assertThat(Edn.write(Instant.parse("2020-01-02T03:04:05.006Z"))).isEqualTo("#inst \"2020-01-02T03:04:05.006Z\"");
    UUID u = new UUID(1, 2);
    assertThat(Edn.write(u)).isEqualTo("#uuid \"00000000-0000-0001-0000-000000000002\"");
    assertThat(Edn.write(new byte[] {1, 2, 3})).isEqualTo("#bytes \"AQID\"");
    assertThat(Edn.write(new Datom(1, 10, "x", 1000, false))).isEqualTo("#datom [1 10 \"x\" 1000 false]");
    assertThat(Edn.write(Keyword.of("db", "ident"))).isEqualTo(":db/ident");
  }

  @Test
  void refusesValuesWithoutAnEdnForm() {
    assertThatThrownBy(() -> Edn.write(new Object()))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasFieldOrPropertyWithValue("code", "edn/unprintable")
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void refusesCyclicStructuresWithoutStackOverflow() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    assertThatThrownBy(() -> Edn.write(cyclic))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasFieldOrPropertyWithValue("code", "edn/too-deep");
  }

  @Test
  void prettyBreaksLongCollections() {
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(Map.of(Keyword.of("person/name"), "name number " + i));
    }
    String p = Edn.writePretty(rows);
    assertThat(p.lines().count()).isEqualTo(10);
    assertThat(Edn.read(p)).isEqualTo(rows);
    assertThat(Edn.writePretty(List.of(1L, 2L))).isEqualTo("[1 2]");
  }

  static long[] seeds() {
    long base = RandomValues.seed("datahop.seed", 20261125L);
    long[] s = new long[50];
    for (int i = 0; i < s.length; i++) {
      s[i] = base + i;
    }
    return s;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomValuesRoundTrip(long seed) {
    RandomValues gen = new RandomValues(new SplittableRandom(seed), true);
    for (int i = 0; i < 40; i++) {
      Object v = gen.value(4);
      String text = Edn.write(v);
      Object back;
      try {
        back = Edn.read(text);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " value " + i + ": cannot read back " + text, e);
      }
      assertThat(RandomValues.deepEquals(v, back))
          .as("seed %d value %d (replay with -Ddatahop.seed=%d): %s read back as %s", seed, i, seed, text, Edn.write(back))
          .isTrue();
      assertThat(RandomValues.deepEquals(v, Edn.read(Edn.writePretty(v)))).as("pretty, seed %d value %d", seed, i).isTrue();
    }
  }
}
