package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes one value: picks the wire form of each Java type (see {@link Tags}) and writes it with
 * {@link FressianOutput}. Nesting is bounded, so a cyclic structure fails instead of overflowing
 * the stack.
 */
final class WireWriter {
  private final FressianOutput out = new FressianOutput();
  private final FressianCodec codec;
  private final int maxDepth;
  private int depth;

  WireWriter(FressianCodec codec, int maxDepth) {
    this.codec = codec;
    this.maxDepth = maxDepth;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  void value(Object v) {
    if (++depth > maxDepth) {
      throw new DatahopException.Incorrect(
          "wire/too-deep",
          "cannot encode a value nested deeper than " + maxDepth + " (a cyclic structure?)",
          Map.of("max-depth", maxDepth),
          null);
    }
    try {
      dispatch(v);
    } finally {
      depth--;
    }
  }

  private void dispatch(Object v) {
    if (v == null) {
      out.nil();
      return;
    }
    FressianCodec.Handler<?> exact = codec.exactHandler(v.getClass());
    if (exact != null) {
      user(exact, v);
      return;
    }
    switch (v) {
      case String s -> out.string(s);
      case Long l -> out.integer(l);
      case Keyword k -> {
        if (!out.cached(k)) {
          out.tag(Tags.KEY, 2);
          out.stringOrNull(k.namespace());
          out.string(k.name());
        }
      }
      case Boolean b -> out.bool(b);
      case Double d -> out.doubleValue(d);
      case Integer i -> out.integer(i);
      case Short i -> out.integer(i);
      case Byte i -> out.integer(i);
      case Float f -> out.floatValue(f);
      case Symbol s -> {
        if (!out.cached(s)) {
          out.tag(Tags.SYM, 2);
          out.stringOrNull(s.namespace());
          out.string(s.name());
        }
      }
      case byte[] b -> out.bytes(b);
      case Character c -> {
        out.tag(Tags.CHAR, 1);
        out.integer(c);
      }
      case BigInteger b -> {
        out.tag(Tags.BIGINT, 1);
        out.bytes(b.toByteArray());
      }
      case BigDecimal b -> {
        out.tag(Tags.BIGDEC, 2);
        out.bytes(b.unscaledValue().toByteArray());
        out.integer(b.scale());
      }
      case UUID u -> {
        out.tag(Tags.UUID, 1);
        out.bytes(uuidBytes(u));
      }
      case java.net.URI u -> {
        out.tag(Tags.URI, 1); // Fressian's own form: its reader gives a java.net.URI too
        out.string(u.toString());
      }
      case Instant i -> instant(i);
      case Date d -> instant(d.toInstant());
      case Datom d -> {
        out.tag(Tags.DATOM, 5);
        out.integer(d.e());
        out.integer(d.a());
        value(d.v());
        out.integer(d.tx());
        out.bool(d.added());
      }
      case DbRef r -> dbRef(r);
      case Db db -> dbRef(db.ref().orElseThrow(WireWriter::speculative));
      case EdnList l -> {
        out.tag(Tags.EDN_LIST, 1);
        list(l);
      }
      case List<?> l -> list(l);
      case Map<?, ?> m -> map(m);
      case Set<?> s -> {
        out.tag(Tags.SET, 1);
        list(s);
      }
      case Throwable t -> ErrorValues.write(this, t);
      default -> {
        FressianCodec.Handler<?> h = codec.assignableHandler(v.getClass());
        if (h != null) {
          user(h, v);
        } else if (v instanceof Collection<?> c) {
          list(c);
        } else {
          throw new DatahopException.Incorrect(
              "wire/unencodable",
              "no wire encoding for a value of type "
                  + v.getClass().getName()
                  + ": register a handler with Codec.builder().register(type, tag, writer, reader)",
              Map.of("type", v.getClass().getName()),
              null);
        }
      }
    }
  }

  private static DatahopException speculative() {
    return new DatahopException.Incorrect(
        "wire/speculative-db",
        "a speculative Db (from with) cannot travel: it was never committed, so no other process can"
            + " rebuild it; transact the data and send conn.db() instead");
  }

  private void instant(Instant i) {
    long seconds = i.getEpochSecond();
    int nanos = i.getNano();
    // whole milliseconds within range use Fressian's standard inst; the rest keep their nanos
    if (nanos % 1_000_000 == 0 && Math.abs(seconds) < Long.MAX_VALUE / 1000 - 1) {
      out.tag(Tags.INST, 1);
      out.integer(seconds * 1000 + nanos / 1_000_000);
    } else {
      out.tag(Tags.INSTANT, 2);
      out.integer(seconds);
      out.integer(nanos);
    }
  }

  private static byte[] uuidBytes(UUID u) {
    byte[] b = new byte[16];
    long hi = u.getMostSignificantBits();
    long lo = u.getLeastSignificantBits();
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) hi;
      b[i + 8] = (byte) lo;
      hi >>>= 8;
      lo >>>= 8;
    }
    return b;
  }

  /**
   * {@code db}: store id as 16 raw bytes, locator, 32-byte commit address, asOfT, sinceT,
   * history. 62 bytes plus the locator's length plus 1 to 8 bytes per t: independent of the
   * database's size.
   */
  private void dbRef(DbRef r) {
    out.tag(Tags.DB, 6);
    out.bytes(uuidBytes(r.storeId().uuid()));
    out.string(r.locator());
    out.bytes(r.commit().toBytes());
    if (r.asOfT() == null) {
      out.nil();
    } else {
      out.integer(r.asOfT());
    }
    if (r.sinceT() == null) {
      out.nil();
    } else {
      out.integer(r.sinceT());
    }
    out.bool(r.history());
  }

  private void list(Collection<?> c) {
    if (c instanceof List<?> l && c instanceof RandomAccess) {
      int n = l.size();
      out.listHeader(n);
      for (int i = 0; i < n; i++) {
        value(l.get(i));
      }
      return;
    }
    int n = c.size();
    out.listHeader(n);
    int written = 0;
    for (Object o : c) {
      if (++written > n) {
        break;
      }
      value(o);
    }
    if (written != n) {
      throw new ConcurrentModificationException("a collection changed size while it was encoded");
    }
  }

  private void map(Map<?, ?> m) {
    out.tag(Tags.MAP, 1);
    int n = m.size();
    out.listHeader(2 * n);
    int written = 0;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (++written > n) {
        break;
      }
      value(e.getKey());
      value(e.getValue());
    }
    if (written != n) {
      throw new ConcurrentModificationException("a map changed size while it was encoded");
    }
  }

  @SuppressWarnings("unchecked")
  private void user(FressianCodec.Handler<?> h, Object v) {
    out.tag(h.tag(), 1);
    Object fields = ((FressianCodec.Handler<Object>) h).writer().apply(v);
    value(fields);
  }

  // ---- primitives for ErrorValues ----------------------------------------------------------

  void tag(String tag, int fields) {
    out.tag(tag, fields);
  }

  void string(String s) {
    out.string(s);
  }

  void stringOrNull(String s) {
    out.stringOrNull(s);
  }

  void integer(long l) {
    out.integer(l);
  }

  void nil() {
    out.nil();
  }

  void listHeader(int n) {
    out.listHeader(n);
  }
}
