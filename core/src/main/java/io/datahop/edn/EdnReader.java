package io.datahop.edn;

import io.datahop.DatahopException;
import io.datahop.InputBounds;
import io.datahop.db.Datom;
import io.datahop.db.Tempid;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * A configured EDN reader: which tagged literals it knows and how deep forms may nest. Immutable
 * and thread-safe; {@link #standard()} knows {@code #inst}, {@code #uuid}, {@code #bytes},
 * {@code #datom}, {@code #uri} and Datomic's {@code #db/id} (a {@link Tempid}), and {@link
 * #withTag} adds more.
 *
 * <pre>{@code
 * EdnReader r = EdnReader.standard().withTag("point", v -> new Point((List<?>) v));
 * Object p = r.read("#point [1 2]");
 * }</pre>
 *
 * <p>Errors are {@link DatahopException.Incorrect} with a code {@code "edn/…"} and a context
 * holding {@code line}, {@code column}, {@code offset}, {@code expected} and {@code found}.
 */
public final class EdnReader {
  /** Default bound on nesting (collections, tags, discards), far above any real data. */
  public static final int DEFAULT_MAX_DEPTH = 1024;

  private static final EdnReader STANDARD =
      new EdnReader(builtInTags(), DEFAULT_MAX_DEPTH, InputBounds.MAX_DIGITS, InputBounds.MAX_SCALE);

  private final Map<String, Function<Object, Object>> tags;
  private final int maxDepth;
  private final int maxDigits;
  private final int maxScale;

  private EdnReader(Map<String, Function<Object, Object>> tags, int maxDepth, int maxDigits, int maxScale) {
    this.tags = tags;
    this.maxDepth = maxDepth;
    this.maxDigits = maxDigits;
    this.maxScale = maxScale;
  }

  /** The reader {@link Edn#read} uses. */
  public static EdnReader standard() {
    return STANDARD;
  }

  /**
   * A reader that also turns {@code #tag value} into {@code reader.apply(value)}. A runtime
   * exception from {@code reader} becomes an {@code "edn/bad-tagged-value"} error.
   */
  public EdnReader withTag(String tag, Function<Object, Object> reader) {
    Objects.requireNonNull(reader, "reader");
    if (tag == null || tag.isEmpty() || !Character.isLetter(tag.charAt(0))) {
      throw new IllegalArgumentException("a tag starts with a letter, got: " + tag);
    }
    Map<String, Function<Object, Object>> t = new HashMap<>(tags);
    t.put(tag, reader);
    return new EdnReader(Collections.unmodifiableMap(t), maxDepth, maxDigits, maxScale);
  }

  /** A reader that refuses input nested deeper than {@code maxDepth} forms. */
  public EdnReader withMaxDepth(int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
    }
    return new EdnReader(tags, maxDepth, maxDigits, maxScale);
  }

  /**
   * A reader that refuses integers, and decimals' unscaled values, of more than {@code maxDigits}
   * digits ({@code "edn/number-too-large"}) and decimals of a scale outside ±{@code maxScale}
   * ({@code "edn/scale-too-large"}); the defaults are {@link InputBounds#MAX_DIGITS} and
   * {@link InputBounds#MAX_SCALE}. Arithmetic on bigger numbers would cost more than linear time.
   */
  public EdnReader withNumberLimits(int maxDigits, int maxScale) {
    if (maxDigits < 19 || maxScale < 0) {
      throw new IllegalArgumentException(
          "maxDigits must be at least 19 (every long) and maxScale at least 0, got " + maxDigits + ", " + maxScale);
    }
    return new EdnReader(tags, maxDepth, maxDigits, maxScale);
  }

  /**
   * Reads exactly one form. Whitespace, comments and {@code #_} forms may follow it; anything
   * else is an {@code "edn/trailing"} error, and empty input an {@code "edn/eof"} error.
   */
  public Object read(String text) {
    return readOne(new EdnParser(EdnBytes.of(text), tags, maxDepth, maxDigits, maxScale));
  }

  /**
   * Reads exactly one form from UTF-8 {@code bytes[from, to)}, as {@link #read(String)} reads
   * their text (a malformed sequence reads as U+FFFD). Error positions count chars from
   * {@code from}. The caller must not change the bytes while they are read.
   */
  public Object read(byte[] bytes, int from, int to) {
    return readOne(new EdnParser(EdnBytes.utf8(bytes, from, to), tags, maxDepth, maxDigits, maxScale));
  }

  private static Object readOne(EdnParser p) {
    Object v = p.next();
    if (v == EdnParser.EOF) {
      throw p.error("edn/eof", p.end(), "a form", "end of input");
    }
    int at = p.skipBlank();
    if (p.next() != EdnParser.EOF) {
      throw p.error("edn/trailing", at, "the end of input after one form", "another form");
    }
    return v;
  }

  /** Reads every form of {@code text}, in order (empty input gives an empty list). */
  public List<Object> readAll(String text) {
    return readAll(new EdnParser(EdnBytes.of(text), tags, maxDepth, maxDigits, maxScale));
  }

  /** Reads every form of UTF-8 {@code bytes[from, to)}, in order, as {@link #read(byte[], int, int)} reads one. */
  public List<Object> readAll(byte[] bytes, int from, int to) {
    return readAll(new EdnParser(EdnBytes.utf8(bytes, from, to), tags, maxDepth, maxDigits, maxScale));
  }

  /**
   * The forms of UTF-8 {@code bytes[from, to)}, read one at a time when asked for, each with the
   * offset where it ended: for a caller that may stop part way, such as one that splits a big
   * vector between two threads. Errors are those of {@link #readAll(byte[], int, int)}.
   */
  public Forms forms(byte[] bytes, int from, int to) {
    return new Forms(new EdnParser(EdnBytes.utf8(bytes, from, to), tags, maxDepth, maxDigits, maxScale), from);
  }

  /** Forms read one at a time from a range of bytes ({@link #forms}); for one thread. */
  public static final class Forms {
    private final EdnParser p;
    private int end;

    private Forms(EdnParser p, int from) {
      this.p = p;
      this.end = from;
    }

    /**
     * The next form, or {@code none} when only whitespace, comments and {@code #_} discards are
     * left.
     */
    public Object next(Object none) {
      Object v = p.next();
      if (v == EdnParser.EOF) {
        return none;
      }
      end = p.position();
      return v;
    }

    /** The offset just past the last form {@link #next} gave (the range's start before the first). */
    public int end() {
      return end;
    }
  }

  private static List<Object> readAll(EdnParser p) {
    List<Object> out = new ArrayList<>();
    for (Object v = p.next(); v != EdnParser.EOF; v = p.next()) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, Function<Object, Object>> builtInTags() {
    Map<String, Function<Object, Object>> t = new HashMap<>();
    t.put("inst", v -> parseInstant(requireString(v, "inst")));
    t.put("uuid", v -> UUID.fromString(requireString(v, "uuid")));
    t.put("bytes", v -> Base64.getDecoder().decode(requireString(v, "bytes")));
    t.put("datom", EdnReader::datom);
    t.put("db/id", EdnReader::tempid);
    t.put("uri", v -> uri(requireString(v, "uri")));
    return Collections.unmodifiableMap(t);
  }

  private static String requireString(Object v, String tag) {
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("#" + tag + " takes a string");
  }

  /** RFC 3339 as EDN allows: full timestamps with Z or an offset, or a date, year-month or year. */
  static Instant parseInstant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      // fall through to the shorter forms
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (s.length() == 7) {
        return YearMonth.parse(s).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (s.length() == 4) {
        return LocalDate.of(Integer.parseInt(s), 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("not an RFC 3339 timestamp: \"" + s + "\"");
  }

  /** {@code #db/id [partition]} or {@code #db/id [partition index]}, as Datomic's schema files write tempids. */
  private static Tempid tempid(Object v) {
    if (!(v instanceof List<?> l) || v instanceof EdnList || l.isEmpty() || l.size() > 2
        || !(l.get(0) instanceof Keyword part)) {
      throw new IllegalArgumentException("#db/id takes a vector [partition] or [partition index]");
    }
    if (l.size() == 1) {
      return Tempid.fresh(part);
    }
    if (!(l.get(1) instanceof Long idx) || idx >= 0) {
      throw new IllegalArgumentException("#db/id's index is a negative integer, got " + Edn.write(l.get(1)));
    }
    return new Tempid(part, idx);
  }

  /**
   * {@code #uri "…"}: a {@link URI}, the value of a {@code :db.type/uri} attribute (Datomic has no
   * reader tag for it: its printer writes {@code #object[java.net.URI …]}). Parsed, never resolved.
   */
  static URI uri(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: \"" + s + "\" (" + e.getReason() + ")");
    }
  }

  private static Datom datom(Object v) {
    if (!(v instanceof List<?> l) || v instanceof EdnList || l.size() != 5) {
      throw new IllegalArgumentException("#datom takes a vector [e a v tx added]");
    }
    if (!(l.get(0) instanceof Long e)
        || !(l.get(1) instanceof Long a)
        || !(l.get(3) instanceof Long tx)
        || !(l.get(4) instanceof Boolean added)) {
      throw new IllegalArgumentException("#datom takes [long long value long boolean]");
    }
    return new Datom(e, a, l.get(2), tx, added);
  }
}
