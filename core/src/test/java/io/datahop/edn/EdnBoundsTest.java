package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datahop.DatahopException;
import io.datahop.HostileKeys;
import io.datahop.InputBounds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hostile EDN the reader refuses before it costs more than linear time: maps and sets whose keys
 * share one hash code (whatever their type), integers of more than 10,000 digits and decimals of a
 * scale outside ±10,000 — each with a stable code naming what was too big.
 */
class EdnBoundsTest {
  private static DatahopException.Incorrect refused(String text) {
    DatahopException.Incorrect e = catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read(text));
    assertThat(e).as("refused: %.80s", text).isNotNull();
    return e;
  }

  @Test
  void mapsAndSetsOfCollidingKeysAreRefused() {
    List<Object> mixed = HostileKeys.longsAndDoubles(2_000);
    String set = "#{" + mixed.stream().map(Edn::write).collect(Collectors.joining(" ")) + "}";
    DatahopException.Incorrect e = refused(set);
    assertThat(e.code()).isEqualTo("edn/colliding-keys");
    assertThat(e.context()).containsEntry("max-equal-hashes", 64).containsEntry("equal-hashes", 2_000);
    String map = "{" + mixed.stream().map(k -> Edn.write(k) + " 1").collect(Collectors.joining(" ")) + "}";
    assertThat(refused(map).code()).isEqualTo("edn/colliding-keys");
    String strings = "[1 " + HostileKeys.strings(10).stream().map(Edn::write).collect(Collectors.joining(" ", "#{", "}")) + "]";
    assertThat(refused(strings).code()).isEqualTo("edn/colliding-keys");
    // (keywords are interned and hash by identity: their names cannot be made to collide)
  }

  @Test
  void upToTheLimitOfCollidingKeysAndOrdinaryBigCollectionsRead() {
    Set<Object> edge = new LinkedHashSet<>(HostileKeys.longsAndDoubles(InputBounds.MAX_EQUAL_HASHES));
    for (long i = 0; i < 500; i++) {
      edge.add("k" + i);
    }
    assertThat(Edn.read(Edn.write(edge))).isEqualTo(edge);
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < 100_000; i++) {
      sb.append(i).append(" :v").append(i % 7).append(' ');
    }
    assertThat((Map<?, ?>) Edn.read(sb.append('}').toString())).hasSize(100_000);
  }

  @Test
  void integersOfMoreThanTenThousandDigitsAreRefused() {
    String nines = "9".repeat(InputBounds.MAX_DIGITS);
    assertThat(Edn.read(nines)).isEqualTo(new BigInteger(nines));
    assertThat(Edn.read("-" + nines + "N")).isEqualTo(new BigInteger("-" + nines));
    assertThat(Edn.read(nines.substring(1) + ".5M")).isEqualTo(new BigDecimal(nines.substring(1) + ".5"));
    for (String bomb : List.of("9" + nines, "9" + nines + "N", "-9" + nines, "0x" + "F".repeat(10_001), "1" + nines + ".5M")) {
      DatahopException.Incorrect e = refused(bomb);
      assertThat(e.code()).as(bomb.substring(0, 5)).isEqualTo("edn/number-too-large");
      assertThat(e.context()).containsEntry("max", 10_000L).containsEntry("column", 1L);
      assertThat(e.getMessage()).contains("at most 10000 digits");
    }
    // a long run of digits in a double stays a double, whose parse is linear
    assertThat(Edn.read("1." + "0".repeat(50_000))).isEqualTo(1.0);
  }

  @Test
  void decimalsOfAScaleBeyondTenThousandAreRefused() {
    assertThat(Edn.read("1e10000M")).isEqualTo(new BigDecimal("1E+10000"));
    assertThat(Edn.read("1e-10000M")).isEqualTo(new BigDecimal("1E-10000"));
    for (String bomb : List.of("1e99999999M", "[1e-10001M]", "1e10001M", "0.5e-10000M")) {
      DatahopException.Incorrect e = refused(bomb);
      assertThat(e.code()).as(bomb.substring(0, 5)).isEqualTo("edn/scale-too-large");
      assertThat(e.getMessage()).contains("as a decimal's scale");
    }
    assertThat(refused("1e9999999999M").code()).isEqualTo("edn/bad-number"); // beyond an int: not a decimal at all
  }

  @Test
  void theNumberLimitsAreConfigurable() {
    EdnReader wide = EdnReader.standard().withNumberLimits(50_000, 100_000);
    assertThat(wide.read("1e99999M")).isEqualTo(new BigDecimal("1E+99999"));
    assertThat(wide.read("9".repeat(20_000))).isEqualTo(new BigInteger("9".repeat(20_000)));
    EdnReader narrow = EdnReader.standard().withNumberLimits(20, 2);
    assertThat(catchThrowableOfType(DatahopException.Incorrect.class, () -> narrow.read("1.234M")).code())
        .isEqualTo("edn/scale-too-large");
    assertThat(catchThrowableOfType(DatahopException.Incorrect.class, () -> narrow.read("123456789012345678901")).code())
        .isEqualTo("edn/number-too-large");
  }
}
