package io.datahop.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datahop.DatahopException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad EDN gets an Incorrect error with a stable code, the line and column, and what was expected. */
class EdnErrorTest {
  private static DatahopException.Incorrect fail(String text) {
    return catchThrowableOfType(DatahopException.Incorrect.class, () -> Edn.read(text));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [1 2\\n  3                  | edn/eof              | 2 | 4  | ']' to close the vector opened at line 1, column 1
          [1 2)                      | edn/mismatched-close | 1 | 5  | ']' to close the vector
          )                          | edn/unexpected-close | 1 | 1  | a form
          {:a 1 :b}                  | edn/odd-map          | 1 | 1  | even number
          {:a 1 :a 2}                | edn/duplicate-key    | 1 | 1  | distinct map keys
          #{1 1}                     | edn/duplicate-element| 1 | 1  | distinct set elements
          "abc                       | edn/eof              | 1 | 5  | '"' to close the string
          "a\\qb"                    | edn/bad-escape       | 1 | 3  | an escape
          "\\u12"                    | edn/bad-escape       | 1 | 2  | four hex digits
          \\foo                      | edn/bad-char         | 1 | 1  | a character like
          01                         | edn/bad-number       | 1 | 1  | without leading zeros
          1.2.3                      | edn/bad-number       | 1 | 1  | a number like
          12abc                      | edn/bad-number       | 1 | 1  | a number like
          1/2                        | edn/bad-number       | 1 | 1  | a number like
          ##Foo                      | edn/bad-number       | 1 | 1  | ##Inf
          ::a                        | edn/bad-keyword      | 1 | 1  | a keyword
          :                          | edn/bad-keyword      | 1 | 1  | a keyword
          #foo 1                     | edn/unknown-tag      | 1 | 1  | a known tag
          #inst "nope"               | edn/bad-tagged-value | 1 | 1  | a valid value for #inst
          #uuid 12                   | edn/bad-tagged-value | 1 | 1  | a valid value for #uuid
          #datom [1 2]               | edn/bad-tagged-value | 1 | 1  | a valid value for #datom
          #!x                        | edn/bad-dispatch     | 1 | 1  | a tag like
          [1 #_]                     | edn/missing-form     | 1 | 6  | a form after '#_'
          #inst                      | edn/eof              | 1 | 6  | a form after #inst
          ^:meta                     | edn/eof              | 1 | 7  | a form
          a@b                        | edn/bad-symbol       | 1 | 2  | a symbol or keyword character
          1 2                        | edn/trailing         | 1 | 3  | the end of input
          ' '                        | edn/eof              | 1 | 2  | a form
          """)
  void namesCodeLineColumnAndExpectation(String text, String code, long line, long column, String expected) {
    String input = text.replace("\\n", "\n").replace("\\\\", "\\");
    DatahopException.Incorrect e = fail(input);
    assertThat(e).as("reading %s", input).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.context()).containsEntry("line", line).containsEntry("column", column);
    assertThat(e.getMessage())
        .contains("line " + line + ", column " + column)
        .contains(expected);
  }

  @Test
  void errorsOnLaterLinesCountColumnsFromTheLineStart() {
    DatahopException.Incorrect e = fail("{:a 1\n :b 2\n   :c #zzz 3}");
    assertThat(e.code()).isEqualTo("edn/unknown-tag");
    assertThat(e.context()).containsEntry("line", 3L).containsEntry("column", 7L);
  }

  @Test
  void hostileNestingIsAClearErrorNotAStackOverflow() {
    for (String open : List.of("[", "(", "{", "#{", "#_", "^", "#inst ")) {
      String text = open.repeat(100_000);
      DatahopException.Incorrect e = fail(text);
      assertThat(e.code()).as(open).isEqualTo("edn/too-deep");
      assertThat(e.getMessage()).contains("at most " + EdnReader.DEFAULT_MAX_DEPTH);
    }
  }

  @Test
  void nestingUpToTheLimitReadsAndPrints() {
    int d = EdnReader.DEFAULT_MAX_DEPTH;
    Object v = Edn.read("[".repeat(d) + "]".repeat(d));
    assertThat(Edn.write(v)).isEqualTo("[".repeat(d) + "]".repeat(d));
    assertThatThrownBy(() -> EdnReader.standard().withMaxDepth(3).read("[[[[1]]]]"))
        .hasMessageContaining("at most 3 nested forms");
    assertThat(EdnReader.standard().withMaxDepth(100_000).read("[".repeat(50_000) + "]".repeat(50_000)))
        .isInstanceOf(List.class);
  }
}
