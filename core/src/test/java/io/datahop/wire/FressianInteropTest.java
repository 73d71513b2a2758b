package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fressian.FressianReader;
import org.fressian.FressianWriter;
import org.junit.jupiter.api.Test;

/** The bytes are Fressian: org.fressian reads ours, and we read what its writer writes. */
class FressianInteropTest {
  private static final FressianCodec CODEC = FressianCodec.standard();

  private static Object fressianRead(byte[] bytes) throws Exception {
    return new FressianReader(new ByteArrayInputStream(bytes)).readObject();
  }

  private static byte[] fressianWrite(Object v) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FressianWriter w = new FressianWriter(out);
    w.writeObject(v);
    w.close();
    return out.toByteArray();
  }

  private static final List<Object> STANDARD =
      List.of(
          42L, -1L, 1L << 50, Long.MIN_VALUE, 2.5, true, "text ☃", new byte[0],
          new BigInteger("-98765432109876543210"), new BigDecimal("3.14159"),
          new UUID(0x0123456789abcdefL, 0xfedcba9876543210L), List.of(1L, "two", List.of(3.0)), "x".repeat(70_000),
          java.net.URI.create("http://example.org/a?b=c#d"));

  @Test
  void orgFressianReadsOurStandardTypes() throws Exception {
    for (Object v : STANDARD) {
      Object back = fressianRead(CODEC.encode(v));
      if (v instanceof byte[] b) {
        assertThat((byte[]) back).isEqualTo(b);
      } else {
        assertThat(back).as("%s", v).isEqualTo(v);
      }
    }
    assertThat(fressianRead(CODEC.encode(Map.of("a", 1L)))).isEqualTo(new HashMap<>(Map.of("a", 1L)));
    assertThat(fressianRead(CODEC.encode(Set.of(1L, 2L)))).isEqualTo(new HashSet<>(Set.of(1L, 2L)));
    assertThat(fressianRead(CODEC.encode(Instant.ofEpochMilli(99)))).isEqualTo(new Date(99));
  }

  @Test
  void integersAndStringsAreTheBytesOrgFressianWrites() throws Exception {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      long v = i < 64 ? (1L << i) - 1 : i < 128 ? -(1L << (i - 64)) : rnd.nextLong() >> rnd.nextInt(64);
      for (long x : new long[] {v, v + 1, v - 1}) {
        assertThat(CODEC.encode(x)).as("%d", x).isEqualTo(fressianWrite(x));
      }
    }
    for (String s : List.of("", "a", "1234567", "12345678", "ünï ☃ 😀", "x".repeat(1000))) {
      assertThat(CODEC.encode(s)).as(s).isEqualTo(fressianWrite(s));
    }
  }

  @Test
  void weReadWhatOrgFressianWrites() throws Exception {
    for (Object v : STANDARD) {
      Object back = CODEC.decode(fressianWrite(v));
      if (v instanceof byte[] b) {
        assertThat((byte[]) back).isEqualTo(b);
      } else {
        assertThat(back).as("%s", v).isEqualTo(v);
      }
    }
    assertThat(CODEC.decode(fressianWrite(Map.of("a", 1L, "b", List.of())))).isEqualTo(Map.of("a", 1L, "b", List.of()));
    assertThat(CODEC.decode(fressianWrite(Set.of("s")))).isEqualTo(Set.of("s"));
    assertThat(CODEC.decode(fressianWrite(new Date(1234)))).isEqualTo(Instant.ofEpochMilli(1234));
    byte[] big = new byte[200_000];
    assertThat((byte[]) CODEC.decode(fressianWrite(big))).isEqualTo(big);
    for (long i = -70_000; i < 70_000; i += 7) {
      assertThat(CODEC.decode(fressianWrite(i))).isEqualTo(i);
    }
  }
}
