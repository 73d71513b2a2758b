package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.datahop.edn.Edn;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading a big transaction file in two halves gives the same forms as reading it whole, for
 * strings holding brackets, quotes and escapes, comments, nested and tagged forms; input the
 * split scan does not follow, and bad input, read as a whole (same error). Seed printed on
 * failure; pin one with {@code -Ddatahop.seed=N}.
 */
class HalvedReadTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(4L, System.nanoTime());
  }

  private static final String[] PIECES = {
    "{:p/name \"a]b\" :p/age 3}", "{:p/s \"q\\\"}]\" :p/t [1 2 [3]]}", "[:db/add \"t\" :p/x 1.5]",
    "{:p/u #uuid \"6f1c0d7e-0b38-4c55-9d5b-0a3e7c7a0b11\" :p/set #{1 2}}", "; a comment ] }\n",
    "{:p/l (1 \"(\" 2)}", "{:p/k :a/b, :p/n nil}", "{:p/w \"\u4e2d\\\\\"}"
  };

  @ParameterizedTest
  @MethodSource("seeds")
  void readsLikeOneReader(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 3; round++) {
      StringBuilder s = new StringBuilder(round == 2 ? " \n[" : "[");
      while (s.length() < HalvedRead.MIN_BYTES + r.nextInt(100_000)) s.append(PIECES[r.nextInt(PIECES.length)]).append('\n');
      s.append("]\n");
      String text = s.toString();
      assertThat(HalvedRead.splitPoint(bytes(text))).as("seed " + seed).isGreaterThan(bytes(text).length / 2);
      assertThat(HalvedRead.read(bytes(text))).as("seed " + seed + " round " + round).isEqualTo(Edn.read(text));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void unfollowedOrBadInputIsReadWhole(long seed) {
    StringBuilder s = new StringBuilder("[");
    while (s.length() < HalvedRead.MIN_BYTES) s.append("{:p/a \"x\" :p/b 1}\n");
    String body = s.toString();
    for (String odd : List.of("#_ {:p/a 1} {:p/a 2}", "{:p/c \\[}")) {
      String text = "[" + odd + body.substring(1) + "]"; // before the middle: the scan gives up
      assertThat(HalvedRead.splitPoint(bytes(text))).as(odd).isEqualTo(-1);
      assertThat(HalvedRead.read(bytes(text))).as(odd).isEqualTo(Edn.read(text));
    }
    String bad = body + "{:p/a 1 ]" + body.substring(1) + "]";
    Throwable whole = catchThrowable(() -> Edn.read(bad));
    assertThat(whole).as("seed " + seed).isNotNull();
    assertThat(catchThrowable(() -> HalvedRead.read(bytes(bad)))).hasMessage(whole.getMessage());
  }

  /** The scan and second half run at once, late (after the first thread read everything), or never. */
  @ParameterizedTest
  @MethodSource("seeds")
  void aLateOrMissingSecondThreadStillGivesEveryForm(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder s = new StringBuilder("[");
    while (s.length() < HalvedRead.MIN_BYTES + r.nextInt(100_000)) s.append(PIECES[r.nextInt(PIECES.length)]).append('\n');
    String text = s.append(']').toString();
    Object whole = Edn.read(text);
    List<Runnable> late = new java.util.ArrayList<>();
    assertThat(HalvedRead.read(bytes(text), Runnable::run)).as("seed " + seed).isEqualTo(whole);
    assertThat(HalvedRead.read(bytes(text), late::add)).as("seed " + seed).isEqualTo(whole);
    late.forEach(Runnable::run); // the scan and the second half, after the fact: nothing changes
    assertThat(HalvedRead.read(bytes(text), task -> { })).as("seed " + seed).isEqualTo(whole);
  }

  /** A final ']' inside a comment leaves the vector unclosed: an error, as when read whole. */
  @ParameterizedTest
  @MethodSource("seeds")
  void aClosingBracketInACommentIsNoClose(long seed) {
    StringBuilder s = new StringBuilder("[");
    while (s.length() < HalvedRead.MIN_BYTES) s.append("{:p/a \"x\" :p/b 1}\n");
    String body = s.toString();
    for (String end : List.of("; the end]", "{:p/a 1} ; the end ]", "#_ 1]")) {
      String bad = body + end;
      Throwable whole = catchThrowable(() -> Edn.read(bad));
      if (end.startsWith("#_")) {
        assertThat(HalvedRead.read(bytes(bad))).isEqualTo(Edn.read(bad));
        continue;
      }
      assertThat(whole).as(end).isNotNull();
      assertThat(catchThrowable(() -> HalvedRead.read(bytes(bad)))).as(end).hasMessage(whole.getMessage());
      assertThat(catchThrowable(() -> HalvedRead.read(bytes(bad), task -> { }))).as(end).hasMessage(whole.getMessage());
    }
    String fine = body + "; the end\n]";
    assertThat(HalvedRead.read(bytes(fine))).isEqualTo(Edn.read(fine));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
