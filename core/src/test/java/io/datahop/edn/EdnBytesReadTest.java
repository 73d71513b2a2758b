package io.datahop.edn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datahop.DatahopException;
import io.datahop.testkit.RandomValues;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading UTF-8 bytes straight ({@link Edn#read(byte[])}, {@link Edn#readAll(byte[], int, int)})
 * gives what reading their decoded text gives: the same values for any text, non-ASCII and
 * malformed UTF-8 included, and the same errors at the same line, column and char offset. Seeded;
 * seed printed on failure, pinned with {@code -Ddatahop.seed=N}.
 */
class EdnBytesReadTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(11L, System.nanoTime());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomValuesReadFromBytesAsFromTheirText(long seed) {
    RandomValues gen = new RandomValues(new SplittableRandom(seed), true);
    for (int i = 0; i < 300; i++) {
      String text = Edn.write(gen.value(4)); // strings of any UTF-16 units, lone surrogates too
      byte[] utf8 = text.getBytes(UTF_8);
      Object fromText = Edn.read(new String(utf8, UTF_8));
      Object fromBytes = Edn.read(utf8);
      assertThat(RandomValues.deepEquals(fromText, fromBytes)).as("seed %d: %s", seed, text).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void malformedUtf8ReadsAsDecodingFirstWould(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] pieces = {(byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F,
        (byte) 0x98, (byte) 0x80, (byte) 0xFF, (byte) 0xC0, (byte) 0xED, (byte) 0xA0, 'a', ' ', 'n', '\\'};
    for (int i = 0; i < 500; i++) {
      List<Byte> body = new ArrayList<>();
      int n = r.nextInt(12);
      for (int k = 0; k < n; k++) {
        byte x = pieces[r.nextInt(pieces.length)];
        body.add(x);
        if (x == '\\') body.add((byte) 'n'); // keep escapes valid
      }
      byte[] utf8 = new byte[body.size() + 2 + 5];
      utf8[0] = '[';
      utf8[1] = '"';
      for (int k = 0; k < body.size(); k++) utf8[2 + k] = body.get(k);
      System.arraycopy("\" :k]".getBytes(UTF_8), 0, utf8, 2 + body.size(), 5);
      String decoded = new String(utf8, UTF_8);
      assertThat(Edn.read(utf8)).as("seed %d: %s", seed, decoded).isEqualTo(Edn.read(decoded));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{:a \"é€😀\" :b}", "[\"日本\"\n 1 2)", "[:ключ :ключ@x]", "[\"ünïcödé\" \"ab\\q\"]", "[\"€\" \"\\u12x4\"]",
      "\"😀😀\" ;ü\n  #zzz 1", "[\\é \\éé]", "{\"ä\" 1 \"ä\" 2}", "(1 2 \"€", "[1 2] 😀", "#{\"ö\" \"ö\"}", "[:ö/ \"x\"]"})
  void errorsAreTheSameFromBytesAsFromText(String text) {
    DatahopException.Incorrect fromText = catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read(text));
    DatahopException.Incorrect fromBytes =
        catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read(text.getBytes(UTF_8)));
    assertThat(fromText).as(text).isNotNull();
    assertThat(fromBytes).as(text).isNotNull();
    assertThat(fromBytes.code()).isEqualTo(fromText.code());
    assertThat(fromBytes.getMessage()).isEqualTo(fromText.getMessage());
    assertThat(fromBytes.context()).isEqualTo(fromText.context());
  }

  @Test
  void positionsInErrorsCountCharsNotBytes() {
    DatahopException.Incorrect e =
        catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read("{\"😀é\" 1}\n\"€€\" a@b".getBytes(UTF_8)));
    assertThat(e.code()).isEqualTo("edn/trailing");
    assertThat(e.context()).containsEntry("line", 2L).containsEntry("column", 1L).containsEntry("offset", 10L);
    e = catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read("[\"€€\" a@b]".getBytes(UTF_8)));
    assertThat(e.code()).isEqualTo("edn/bad-symbol");
    assertThat(e.context()).containsEntry("line", 1L).containsEntry("column", 8L).containsEntry("offset", 7L);
  }

  @Test
  void aRangeReadsAloneWithPositionsFromItsStart() {
    byte[] utf8 = "[{:a \"é\"} {:b 2} x@y]".getBytes(UTF_8);
    int from = 1;
    int to = "[{:a \"é\"} {:b 2}".getBytes(UTF_8).length;
    assertThat(Edn.readAll(utf8, from, to)).isEqualTo(Edn.readAll("{:a \"é\"} {:b 2}"));
    DatahopException.Incorrect e = catchThrowableOfType(DatahopException.Incorrect.class,
        () -> Edn.readAll(utf8, to, utf8.length - 1));
    assertThat(e.context()).containsEntry("column", 3L).containsEntry("offset", 2L);
    assertThat(Edn.readAll(utf8, 3, 3)).isEmpty();
  }

  @Test
  void unpairedSurrogatesInAStringReadBackExactly() {
    String s = "a\uD800b\uDC00\uD83D\uDE00é";
    assertThat(Edn.read(Edn.write(s))).isEqualTo(s);
    assertThat(Edn.read("[:ké \"" + s + "\"]")).isEqualTo(List.of(Keyword.of("ké"), s));
  }
}
