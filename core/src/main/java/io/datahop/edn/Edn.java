package io.datahop.edn;

import java.util.List;

/**
 * Reads and writes EDN, the data notation of Clojure and Datomic, used for queries, tx-data,
 * scripts and every value the command line prints.
 *
 * <table>
 *   <caption>EDN to Java</caption>
 *   <tr><th>EDN</th><th>Java</th></tr>
 *   <tr><td>{@code nil}, {@code true}</td><td>{@code null}, {@link Boolean}</td></tr>
 *   <tr><td>{@code 42}, {@code 42N}</td><td>{@link Long} ({@link java.math.BigInteger} with N or beyond 64 bits)</td></tr>
 *   <tr><td>{@code 1.5}, {@code 1.5M}, {@code ##Inf}</td><td>{@link Double}, {@link java.math.BigDecimal} with M</td></tr>
 *   <tr><td>{@code "s"}, {@code \c}</td><td>{@link String}, {@link Character}</td></tr>
 *   <tr><td>{@code :k}, {@code sym}</td><td>{@link Keyword}, {@link Symbol}</td></tr>
 *   <tr><td>{@code [..]}</td><td>unmodifiable {@link java.util.RandomAccess} {@link List}</td></tr>
 *   <tr><td>{@code (..)}</td><td>{@link EdnList} (a List that is not a vector)</td></tr>
 *   <tr><td>{@code {..}}, {@code #{..}}</td><td>unmodifiable insertion-ordered Map, Set</td></tr>
 *   <tr><td>{@code #inst "…"}, {@code #uuid "…"}</td><td>{@link java.time.Instant}, {@link java.util.UUID}</td></tr>
 *   <tr><td>{@code #bytes "base64"}, {@code #datom [e a v tx added]}</td><td>{@code byte[]}, {@link io.datahop.db.Datom}</td></tr>
 *   <tr><td>{@code #uri "…"}, {@code #db/id [:db.part/user -1]}</td><td>{@link java.net.URI}, {@link io.datahop.db.Tempid}</td></tr>
 * </table>
 *
 * <p>{@code ;} comments, commas, {@code #_} discards and {@code ^meta} are skipped. Other tags
 * need a reader from {@link EdnReader#withTag}. Errors are {@link
 * io.datahop.DatahopException.Incorrect} with codes {@code "edn/…"} naming line and column.
 */
public final class Edn {
  private Edn() {}

  /** Reads exactly one form; trailing forms are an {@code "edn/trailing"} error. */
  public static Object read(String text) {
    return EdnReader.standard().read(text);
  }

  /** Reads every form, in order (for scripts and files of many forms). */
  public static List<Object> readAll(String text) {
    return EdnReader.standard().readAll(text);
  }

  /**
   * Reads exactly one form from UTF-8 bytes (a file's content, say) without decoding them to a
   * String first; a malformed sequence reads as U+FFFD.
   */
  public static Object read(byte[] utf8) {
    return EdnReader.standard().read(utf8, 0, utf8.length);
  }

  /** Reads every form of UTF-8 {@code utf8[from, to)}, in order; error positions count from {@code from}. */
  public static List<Object> readAll(byte[] utf8, int from, int to) {
    return EdnReader.standard().readAll(utf8, from, to);
  }

  /** EDN text of {@code value} on one line; {@link #read} gives back an equal value. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    EdnPrinter.print(value, sb);
    return sb.toString();
  }

  /** Like {@link #write}, but collections that do not fit in 80 columns span several lines. */
  public static String writePretty(Object value) {
    return EdnPrinter.pretty(value, 80);
  }

  /** Appends the EDN text of {@code value} to {@code out}. */
  public static void write(Object value, StringBuilder out) {
    EdnPrinter.print(value, out);
  }
}
