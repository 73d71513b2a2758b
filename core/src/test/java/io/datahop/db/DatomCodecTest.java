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

  @ParameterizedTest
  @MethodSource("seeds")
  void bytesMatchAPlainTranscriptionOfTheFormatInEveryOrder(long seed) {
    // the codec is tuned for C1 (type tests in line, one-byte varints in line, an array walk);
    // the store format must not move, so compare it with a slow, obvious writer of docs/format.md
    SplittableRandom r = new SplittableRandom(seed);
    List<Datom> ds = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      long e = r.nextInt(4) == 0 ? r.nextLong() : Ids.USER_PART + r.nextInt(300);
      long a = r.nextInt(8) == 0 ? r.nextLong(1, Long.MAX_VALUE) : r.nextInt(1, 200);
      long tx = r.nextInt(8) == 0 ? r.nextLong() : Ids.txEid(r.nextInt(1, 50));
      ds.add(new Datom(e, a, randomValue(r, 0), tx, r.nextBoolean()));
    }
    for (IndexType t : IndexType.values()) {
      List<Datom> sorted = new ArrayList<>(ds);
      sorted.sort(DatomOrder.of(t));
      java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
      Datom prev = null;
      for (Datom d : sorted) {
        Reference.datom(expected, d, prev);
        prev = d;
      }
      NodeOutput viaList = new NodeOutput(16);
      DatomCodec.INSTANCE.encode(sorted, viaList);
      NodeOutput viaArray = new NodeOutput(16);
      Object[] keys = sorted.toArray(new Object[sorted.size() + 3]);
      DatomCodec.INSTANCE.encode(keys, sorted.size(), viaArray);
      assertThat(viaList.toByteArray()).as("seed %d order %s", seed, t).isEqualTo(expected.toByteArray());
      assertThat(viaArray.toByteArray()).as("seed %d order %s", seed, t).isEqualTo(expected.toByteArray());
    }
  }

  /** docs/format.md, "Datom keys", written out byte by byte with no shortcuts. */
  private static final class Reference {
    static void datom(java.io.ByteArrayOutputStream o, Datom d, Datom prev) {
      int tag = Values.typeTag(d.v());
      boolean sameE = prev != null && prev.e() == d.e();
      boolean sameA = prev != null && prev.a() == d.a();
      boolean sameTx = prev != null && prev.tx() == d.tx();
      o.write(tag | (d.added() ? 0x10 : 0) | (sameE ? 0x20 : 0) | (sameA ? 0x40 : 0) | (sameTx ? 0x80 : 0));
      if (!sameE) zigZag(o, prev == null ? d.e() : d.e() - prev.e());
      if (!sameA) varLong(o, d.a());
      if (!sameTx) zigZag(o, prev == null ? d.tx() : d.tx() - prev.tx());
      value(o, tag, d.v());
    }

    static void value(java.io.ByteArrayOutputStream o, int tag, Object v) {
      switch (tag) {
        case Values.T_BOOLEAN -> o.write((Boolean) v ? 1 : 0);
        case Values.T_LONG -> zigZag(o, (Long) v);
        case Values.T_DOUBLE -> bigEndian(o, Double.doubleToRawLongBits((Double) v), 8);
        case Values.T_FLOAT -> bigEndian(o, Float.floatToRawIntBits((Float) v), 4);
        case Values.T_BIGINT -> bytes(o, ((BigInteger) v).toByteArray());
        case Values.T_BIGDEC -> {
          zigZag(o, ((BigDecimal) v).scale());
          bytes(o, ((BigDecimal) v).unscaledValue().toByteArray());
        }
        case Values.T_INSTANT -> {
          zigZag(o, ((Instant) v).getEpochSecond());
          varLong(o, ((Instant) v).getNano());
        }
        case Values.T_UUID -> {
          bigEndian(o, ((UUID) v).getMostSignificantBits(), 8);
          bigEndian(o, ((UUID) v).getLeastSignificantBits(), 8);
        }
        case Values.T_STRING -> bytes(o, ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        case Values.T_KEYWORD -> bytes(o, ((Keyword) v).text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        case Values.T_SYMBOL -> bytes(o, ((Symbol) v).text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        case Values.T_BYTES -> bytes(o, (byte[]) v);
        case Values.T_TUPLE -> {
          List<?> l = (List<?>) v;
          varLong(o, l.size());
          for (Object x : l) {
            int t = Values.typeTag(x);
            o.write(t);
            value(o, t, x);
          }
        }
        case Values.T_NIL -> {}
        default -> throw new AssertionError(tag);
      }
    }

    static void bytes(java.io.ByteArrayOutputStream o, byte[] b) {
      varLong(o, b.length);
      o.writeBytes(b);
    }

    static void bigEndian(java.io.ByteArrayOutputStream o, long v, int n) {
      for (int i = n - 1; i >= 0; i--) o.write((int) (v >>> (8 * i)));
    }

    static void zigZag(java.io.ByteArrayOutputStream o, long v) {
      varLong(o, (v << 1) ^ (v >> 63));
    }

    static void varLong(java.io.ByteArrayOutputStream o, long v) {
      while (Long.compareUnsigned(v, 0x80) >= 0) {
        o.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      o.write((int) v);
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
