package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decimals read exactly as {@link Double#parseDouble} reads them (the reader takes a shortcut
 * for short ones), and keywords read as {@link Keyword#of} whatever else was read before (the
 * reader remembers recent ones). Seed printed on failure; pin one with {@code -Ddatahop.seed=N}.
 */
class EdnNumbersAndKeywordsTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(5L, 99L, System.nanoTime());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void decimalsReadAsParseDoubleReadsThem(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      StringBuilder b = new StringBuilder();
      if (r.nextInt(4) == 0) b.append(r.nextBoolean() ? '-' : '+');
      int intDigits = 1 + r.nextInt(r.nextBoolean() ? 3 : 17);
      for (int j = 0; j < intDigits; j++) b.append((char) ('0' + r.nextInt(10)));
      b.append('.');
      int frac = r.nextInt(r.nextBoolean() ? 4 : 20);
      for (int j = 0; j < frac; j++) b.append((char) ('0' + r.nextInt(10)));
      if (r.nextInt(10) == 0) b.append('e').append(r.nextInt(40) - 20);
      texts.add(b.toString());
    }
    Object read = Edn.read("[" + String.join(" ", texts) + "]");
    List<Object> want = new ArrayList<>();
    for (String t : texts) want.add(Double.parseDouble(t));
    assertThat(read).as("seed %d", seed).isEqualTo(want);
    assertThat(Edn.read("[0.0 -0.0 1.5,2.25]")).isEqualTo(List.of(0.0, -0.0, 1.5, 2.25));
    assertThat(Double.doubleToRawLongBits((Double) Edn.read("-0.0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void keywordsReadAsKeywordOfWhateverCameBefore(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String ns = r.nextBoolean() ? "" : "n" + r.nextInt(30) + "/";
      texts.add(ns + (char) ('a' + r.nextInt(26)) + r.nextInt(r.nextBoolean() ? 10 : 5000));
    }
    StringBuilder b = new StringBuilder("[");
    for (String t : texts) b.append(':').append(t).append(r.nextBoolean() ? " " : ",");
    Object read = Edn.read(b.append(']').toString());
    List<Object> want = new ArrayList<>();
    for (String t : texts) want.add(Keyword.of(t));
    assertThat(read).as("seed %d", seed).isEqualTo(want);
  }
}
