package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.index.NodeInput;
import io.datahop.index.NodeOutput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Datom keys: the documented bytes, seeded random round trips, and a total order. */
class DatomCodecTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(1L, 2L, 3L, 42L, System.nanoTime());
  }

  private static Object randomValue(SplittableRandom r, int depth) {
    return switch (r.nextInt(depth > 0 ? 12 : 13)) {
      case 0 -> r.nextBoolean();
      case 1 -> r.nextLong(-1_000_000, 1_000_000) * (r.nextBoolean() ? 1 : 1_000_000_000L);
      case 2 -> r.nextDouble() * 1e6 - 5e5;
      case 3 -> (float) r.nextDouble();
      case 4 -> BigInteger.valueOf(r.nextLong()).multiply(BigInteger.valueOf(r.nextLong()));
      case 5 -> BigDecimal.valueOf(r.nextLong(), r.nextInt(-5, 10));
      case 6 -> Instant.ofEpochSecond(r.nextLong(-1_000_000_000L, 4_000_000_000L), r.nextInt(1_000_000_000));
      case 7 -> new UUID(r.nextLong(), r.nextLong());
      case 8 -> "s" + r.nextInt(1000) + (r.nextBoolean() ? "ü€" : "") + (r.nextInt(8) == 0 ? "x".repeat(r.nextInt(100, 300)) : "");
      case 9 -> Keyword.of("ns" + r.nextInt(5) + "/k" + r.nextInt(50));
      case 10 -> Symbol.of("sym" + r.nextInt(50));
      case 11 -> {
        byte[] b = new byte[r.nextInt(6)];
        r.nextBytes(b);
        yield b;
      }
      default -> {
        List<Object> t = new ArrayList<>();
        int n = r.nextInt(2, 5);
        for (int i = 0; i < n; i++) t.add(r.nextInt(6) == 0 ? null : randomValue(r, depth + 1));
        yield t;
      }
    };
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomRunsRoundTripInEveryOrder(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Datom> ds = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ds.add(new Datom(Ids.USER_PART + r.nextInt(300), r.nextInt(1, 200), randomValue(r, 0),
          Ids.txEid(r.nextInt(1, 50)), r.nextBoolean()));
    }
    for (IndexType t : IndexType.values()) {
      List<Datom> sorted = new ArrayList<>(ds);
      sorted.sort(DatomOrder.of(t));
      NodeOutput out = new NodeOutput();
      DatomCodec.INSTANCE.encode(sorted, out);
      byte[] bytes = out.toByteArray();
      Object[] back = new Object[sorted.size()];
      NodeInput in = new NodeInput(bytes);
      DatomCodec.INSTANCE.decode(in, sorted.size(), back);
      assertThat(in.remaining()).as("seed %d", seed).isZero();
      assertThat(Arrays.asList(back)).as("seed %d order %s", seed, t).isEqualTo(sorted);
      // the order is total and consistent with equality
      for (int i = 1; i < sorted.size(); i++) {
        int c = DatomOrder.of(t).compare(sorted.get(i - 1), sorted.get(i));
        assertThat(c <= 0).as("seed %d", seed).isTrue();
        assertThat(c == 0).isEqualTo(sorted.get(i - 1).equals(sorted.get(i)));
      }
    }
  }

  @Test
  void documentedExampleBytes() {
    Datom prev = new Datom(4398046511105L, 100, "x", 13194139533313L, true);
    Datom d = new Datom(4398046511105L, 101, "Ivan", 13194139533313L, true);
    NodeOutput out = new NodeOutput();
    DatomCodec.INSTANCE.encode(List.of(prev, d), out);
    byte[] all = out.toByteArray();
    NodeOutput first = new NodeOutput();
    DatomCodec.INSTANCE.encode(List.of(prev), first);
    byte[] second = Arrays.copyOfRange(all, first.toByteArray().length, all.length);
    assertThat(second).containsExactly(0xB9, 0x65, 0x04, 'I', 'v', 'a', 'n');
  }

  @Test
  void valuesOrderByTypeThenValue() {
    assertThat(Values.compare(1L, "a")).isNegative();
    assertThat(Values.compare(new byte[] {(byte) 0xff}, new byte[] {1})).isPositive();
    assertThat(Values.compare(List.of(1L, 2L), List.of(1L, 2L, 0L))).isNegative();
    assertThat(Values.compare(new UUID(-1, 0), new UUID(1, 0))).isPositive();
    assertThat(Values.compare(Values.MIN, false)).isNegative();
    assertThat(Values.compare(Values.MAX, List.of())).isPositive();
  }
}
