package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.HostileKeys;
import io.datahop.InputBounds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile values the wire decoder refuses before they cost more than linear time: maps and sets
 * of keys sharing one hash code, whatever their type, and big numbers beyond {@link InputBounds}.
 */
class WireBoundsTest {
  private static final FressianCodec CODEC = FressianCodec.standard();

  private static Object roundTrip(Object v) {
    return CODEC.decode(CODEC.encode(v));
  }

  @Test
  void collidingLongAndDoubleKeysAreRefusedInMapsAndSets() {
    List<Object> keys = HostileKeys.longsAndDoubles(2_000);
    assertThat(new HashSet<>(keys)).hasSize(2_000).allSatisfy(k -> assertThat(k.hashCode()).isZero());
    Map<Object, Object> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, 1L));
    assertThatThrownBy(() -> roundTrip(m)).isInstanceOf(WireException.class).hasMessageContaining("hash flooding");
    assertThatThrownBy(() -> roundTrip(new LinkedHashSet<>(keys)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("hash flooding");
  }

  @Test
  void collidingKeysOfOneComparableTypeAreRefusedToo() {
    List<String> strings = HostileKeys.strings(8); // 256 strings, one hash code
    assertThatThrownBy(() -> roundTrip(new LinkedHashSet<>(strings)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("more than 64 keys with one hash code");
    List<Object> longs = HostileKeys.longsAndDoubles(400).stream().filter(k -> k instanceof Long).toList();
    assertThatThrownBy(() -> roundTrip(new LinkedHashSet<>(longs))).isInstanceOf(WireException.class);
  }

  @Test
  void upToTheLimitOfEqualHashesAndBigOrdinaryCollectionsDecode() {
    Set<Object> edge = new LinkedHashSet<>(HostileKeys.longsAndDoubles(InputBounds.MAX_EQUAL_HASHES));
    for (long i = 0; i < 1_000; i++) {
      edge.add(i + 1_000_000L);
    }
    assertThat(roundTrip(edge)).isEqualTo(edge);
    Set<Object> big = new LinkedHashSet<>();
    for (long i = 0; i < 200_000; i++) {
      big.add(i % 2 == 0 ? (Object) i : (Object) ("s" + i));
    }
    assertThat(roundTrip(big)).isEqualTo(big);
  }

  @Test
  void theLimitOfEqualHashesIsConfigurable() {
    FressianCodec lenient = FressianCodec.builder().maxEqualHashes(1_000).build();
    Set<Object> keys = new LinkedHashSet<>(HostileKeys.longsAndDoubles(500));
    assertThat(lenient.decode(lenient.encode(keys))).isEqualTo(keys);
  }

  @Test
  void scaleBombsAreRefused() {
    BigDecimal bomb = new BigDecimal(BigInteger.ONE, -99_999_999); // 1E+99999999: 6 bytes of wire
    assertThatThrownBy(() -> roundTrip(bomb))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("bigdec scale -99999999 outside -10000..10000");
    assertThatThrownBy(() -> roundTrip(new BigDecimal(BigInteger.ONE, 10_001)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("bigdec scale 10001");
    assertThatThrownBy(() -> roundTrip(List.of(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE))))
        .isInstanceOf(WireException.class);
    for (BigDecimal ok : List.of(new BigDecimal("1E+10000"), new BigDecimal("1E-10000"), new BigDecimal("-1.2500"))) {
      assertThat(roundTrip(ok)).isEqualTo(ok);
    }
    FressianCodec wide = FressianCodec.builder().maxScale(200_000).build();
    assertThat(wide.decode(wide.encode(new BigDecimal("1E+150000")))).isEqualTo(new BigDecimal("1E+150000"));
  }

  @Test
  void bigIntegersOfMoreThanTenThousandDigitsAreRefused() {
    BigInteger largest = BigInteger.TEN.pow(InputBounds.MAX_DIGITS).subtract(BigInteger.ONE); // 10,000 nines
    assertThat(roundTrip(largest)).isEqualTo(largest);
    assertThat(roundTrip(largest.negate())).isEqualTo(largest.negate());
    assertThat(roundTrip(new BigDecimal(largest, 3))).isEqualTo(new BigDecimal(largest, 3));
    BigInteger tooBig = BigInteger.ONE.shiftLeft(40_000);
    assertThatThrownBy(() -> roundTrip(tooBig)).isInstanceOf(WireException.class).hasMessageContaining("big number of");
    assertThatThrownBy(() -> roundTrip(new BigDecimal(tooBig, 2))).isInstanceOf(WireException.class);
    FressianCodec small = FressianCodec.builder().maxBigNumberBytes(16).build();
    assertThatThrownBy(() -> small.decode(small.encode(BigInteger.ONE.shiftLeft(200)))).isInstanceOf(WireException.class);
    assertThat(small.decode(small.encode(BigInteger.ONE.shiftLeft(100)))).isEqualTo(BigInteger.ONE.shiftLeft(100));
  }
}
