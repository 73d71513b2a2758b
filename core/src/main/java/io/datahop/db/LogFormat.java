package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Edn;
import io.datahop.edn.EdnReader;
import io.datahop.edn.Keyword;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of an exported log: one EDN map per line, a header first, then one map per
 * transaction (layout in {@code docs/database.md}, "Copy, backup and export").
 *
 * <p>Why a tag for floats: EDN has one floating-point type, so a {@code Float} value would come
 * back as a {@code Double}; {@code #datahop/float "1.5"} keeps it exact whatever the attribute
 * (schema-on-read attributes have no declared type to convert by). Every other stored value type
 * has an EDN form that reads back as the same Java value.
 */
final class LogFormat {
  private LogFormat() {}

  static final int VERSION = 1;
  static final String FLOAT_TAG = "datahop/float";
  static final EdnReader READER = EdnReader.standard().withTag(FLOAT_TAG, v -> {
    if (!(v instanceof String s)) throw new IllegalArgumentException("#" + FLOAT_TAG + " takes a string");
    return Float.parseFloat(s);
  });

  private static final Keyword FORMAT = Keyword.of("datahop/log");
  private static final Keyword KEEP_HISTORY = Keyword.of("keep-history");
  private static final Keyword SCHEMA = Keyword.of("schema-flexibility");
  private static final Keyword BASIS_T = Keyword.of("basis-t");
  private static final Keyword T = Keyword.of("t");
  private static final Keyword TX = Keyword.of("tx");
  private static final Keyword INSTANT = Keyword.of("instant");
  private static final Keyword NEXT_IDS = Keyword.of("next-ids");
  private static final Keyword DATA = Keyword.of("data");

  /** The first line: what database the log rebuilds and how many transactions follow. */
  record Header(boolean keepHistory, boolean schemaOnRead, long basisT) {}

  static String header(Header h) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(FORMAT, (long) VERSION);
    m.put(KEEP_HISTORY, h.keepHistory());
    m.put(SCHEMA, Keyword.of(h.schemaOnRead() ? "read" : "write"));
    m.put(BASIS_T, h.basisT());
    return Edn.write(m);
  }

  /** One transaction's line (without the newline). */
  static void tx(CommitChanges.Tx tx, StringBuilder sb) {
    sb.append("{:t ").append(tx.t()).append(", :tx ").append(tx.tx()).append(", :instant ");
    Edn.write(tx.instant(), sb);
    sb.append(", :next-ids [").append(tx.nextUserId()).append(' ').append(tx.nextAttrId()).append("], :data [");
    boolean first = true;
    for (Datom d : tx.data()) {
      if (!first) sb.append(' ');
      first = false;
      sb.append('[').append(d.e()).append(' ').append(d.a()).append(' ');
      value(d.v(), sb);
      sb.append(' ').append(d.tx()).append(' ').append(d.added()).append(']');
    }
    sb.append("]}");
  }

  private static void value(Object v, StringBuilder sb) {
    if (v instanceof Float f) {
      sb.append('#').append(FLOAT_TAG).append(" \"").append(f).append('"');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(' ');
        value(l.get(i), sb);
      }
      sb.append(']');
    } else {
      Edn.write(v, sb);
    }
  }

  static Header readHeader(String text, int line) {
    Map<?, ?> m = map(text, line, "the header");
    Object version = m.get(FORMAT);
    if (version == null) {
      throw bad(line, null, "line " + line + " is not the header of a datahop log (no :datahop/log key)");
    }
    if (!Long.valueOf(VERSION).equals(version)) {
      throw new DatahopException.Unsupported("import/version",
          "the log is format version " + version + "; this build reads version " + VERSION,
          Map.of("line", line, "version", String.valueOf(version)), null);
    }
    Object schema = m.get(SCHEMA);
    if (!(m.get(KEEP_HISTORY) instanceof Boolean keep) || !(m.get(BASIS_T) instanceof Long basis)
        || !(Keyword.of("read").equals(schema) || Keyword.of("write").equals(schema))) {
      throw bad(line, null, "the header on line " + line + " needs :keep-history true|false, "
          + ":schema-flexibility :read|:write and :basis-t T");
    }
    return new Header(keep, Keyword.of("read").equals(schema), basis);
  }

  /** One transaction read from its line; shapes only (the replay checks the content). */
  static CommitChanges.Tx readTx(String text, int line) {
    Map<?, ?> m = map(text, line, "a transaction");
    if (!(m.get(T) instanceof Long t)) throw bad(line, null, "line " + line + " has no :t");
    if (!(m.get(TX) instanceof Long tx)) throw bad(line, t, "transaction " + t + " (line " + line + ") has no :tx");
    if (!(m.get(INSTANT) instanceof Instant instant)) {
      throw bad(line, t, "transaction " + t + " (line " + line + ") has no :instant #inst");
    }
    if (!(m.get(NEXT_IDS) instanceof List<?> ids) || ids.size() != 2 || !(ids.get(0) instanceof Long user)
        || !(ids.get(1) instanceof Long attr)) {
      throw bad(line, t, "transaction " + t + " (line " + line + ") needs :next-ids [USER-ID ATTR-ID]");
    }
    if (!(m.get(DATA) instanceof List<?> data)) {
      throw bad(line, t, "transaction " + t + " (line " + line + ") has no :data vector");
    }
    List<Datom> datoms = new ArrayList<>(data.size());
    for (Object o : data) {
      if (!(o instanceof List<?> d) || d.size() != 5 || !(d.get(0) instanceof Long e) || !(d.get(1) instanceof Long a)
          || d.get(2) == null || !(d.get(3) instanceof Long dtx) || !(d.get(4) instanceof Boolean added)) {
        throw bad(line, t, "transaction " + t + " (line " + line + "): a datom is [e a v tx added] with long e, a "
            + "and tx, got " + Edn.write(o));
      }
      datoms.add(new Datom(e, a, Values.normalize(d.get(2)), dtx, added));
    }
    return new CommitChanges.Tx(t, tx, instant, user, attr, datoms);
  }

  private static Map<?, ?> map(String text, int line, String what) {
    Object form;
    try {
      form = READER.read(text);
    } catch (DatahopException e) {
      throw new DatahopException.Incorrect("import/bad-edn", "line " + line + " is not one EDN form: " + e.getMessage(),
          Map.of("line", line), e);
    }
    if (!(form instanceof Map<?, ?> m)) throw bad(line, null, "line " + line + " is not a map (" + what + ")");
    return m;
  }

  static DatahopException.Incorrect bad(int line, Long t, String message) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("line", line);
    if (t != null) ctx.put("t", t);
    return new DatahopException.Incorrect("import/bad-tx", message, ctx, null);
  }
}
