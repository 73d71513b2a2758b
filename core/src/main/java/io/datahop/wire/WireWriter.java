package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fressian.FressianWriter;

/**
 * Encodes one value with {@code org.fressian.FressianWriter} as the byte-level emitter (packed
 * ints, UTF-8 strings, chunked bytes, struct-type cache). Dispatch is ours rather than Fressian's
 * handler lookup, whose built-in handlers come first and would write types our reader refuses
 * ({@code Object[]}, {@code int[]}, regex, URI) and could not tell an {@link EdnList} from a vector.
 */
final class WireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
  private final FressianWriter fw = new FressianWriter(out, null);
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
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    } finally {
      depth--;
    }
  }

  private void dispatch(Object v) throws IOException {
    if (v == null) {
      fw.writeNull();
      return;
    }
    FressianCodec.Handler<?> exact = codec.exactHandler(v.getClass());
    if (exact != null) {
      user(exact, v);
      return;
    }
    switch (v) {
      case String s -> fw.writeString(s);
      case Long l -> fw.writeInt(l);
      case Keyword k -> cached(k, () -> {
        fw.writeTag(Tags.KEY, 2);
        stringOrNull(k.namespace());
        fw.writeString(k.name());
      });
      case Boolean b -> fw.writeBoolean(b.booleanValue());
      case Double d -> doubleValue(d);
      case Integer i -> fw.writeInt(i.longValue());
      case Short i -> fw.writeInt(i.longValue());
      case Byte i -> fw.writeInt(i.longValue());
      case Float f -> fw.writeFloat(f.floatValue());
      case Symbol s -> cached(s, () -> {
        fw.writeTag(Tags.SYM, 2);
        stringOrNull(s.namespace());
        fw.writeString(s.name());
      });
      case byte[] b -> fw.writeBytes(b);
      case Character c -> {
        fw.writeTag(Tags.CHAR, 1);
        fw.writeInt(c.charValue());
      }
      case BigInteger b -> {
        fw.writeTag(Tags.BIGINT, 1);
        fw.writeBytes(b.toByteArray());
      }
      case BigDecimal b -> {
        fw.writeTag(Tags.BIGDEC, 2);
        fw.writeBytes(b.unscaledValue().toByteArray());
        fw.writeInt(b.scale());
      }
      case UUID u -> {
        fw.writeTag(Tags.UUID, 1);
        fw.writeBytes(uuidBytes(u));
      }
      case Instant i -> instant(i);
      case Date d -> instant(d.toInstant());
      case Datom d -> {
        fw.writeTag(Tags.DATOM, 5);
        fw.writeInt(d.e());
        fw.writeInt(d.a());
        value(d.v());
        fw.writeInt(d.tx());
        fw.writeBoolean(d.added());
      }
      case DbRef r -> dbRef(r);
      case Db db -> dbRef(db.ref().orElseThrow(WireWriter::speculative));
      case EdnList l -> {
        fw.writeTag(Tags.EDN_LIST, 1);
        list(l);
      }
      case List<?> l -> list(l);
      case Map<?, ?> m -> map(m);
      case Set<?> s -> {
        fw.writeTag(Tags.SET, 1);
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

  private void doubleValue(double d) throws IOException {
    long bits = Double.doubleToRawLongBits(d);
    if (bits == NEGATIVE_ZERO) {
      // FressianWriter writes -0.0 as the one-byte 0.0 (they are ==); keep the sign
      fw.writeCode(Tags.DOUBLE);
      for (int shift = 56; shift >= 0; shift -= 8) {
        fw.writeCode((int) (bits >>> shift) & 0xff);
      }
    } else {
      fw.writeDouble(d);
    }
  }

  private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);

  private static DatahopException speculative() {
    return new DatahopException.Incorrect(
        "wire/speculative-db",
        "a speculative Db (from with) cannot travel: it was never committed, so no other process can"
            + " rebuild it; transact the data and send conn.db() instead");
  }

  private interface Body {
    void write() throws IOException;
  }

  /** Keywords and symbols repeat a lot: the first use is put in Fressian's priority cache. */
  private void cached(Object key, Body body) throws IOException {
    int index = fw.getPriorityCache().oldIndex(key);
    if (index == -1) {
      fw.writeCode(Tags.PUT_PRIORITY_CACHE);
      body.write();
    } else if (index < Tags.PRIORITY_CACHE_PACKED_END) {
      fw.writeCode(Tags.PRIORITY_CACHE_PACKED_START + index);
    } else {
      fw.writeCode(Tags.GET_PRIORITY_CACHE);
      fw.writeInt(index);
    }
  }

  private void instant(Instant i) throws IOException {
    long seconds = i.getEpochSecond();
    int nanos = i.getNano();
    // whole milliseconds within range use Fressian's standard inst; the rest keep their nanos
    if (nanos % 1_000_000 == 0 && Math.abs(seconds) < Long.MAX_VALUE / 1000 - 1) {
      fw.writeTag(Tags.INST, 1);
      fw.writeInt(seconds * 1000 + nanos / 1_000_000);
    } else {
      fw.writeTag(Tags.INSTANT, 2);
      fw.writeInt(seconds);
      fw.writeInt(nanos);
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
  private void dbRef(DbRef r) throws IOException {
    fw.writeTag(Tags.DB, 6);
    fw.writeBytes(uuidBytes(r.storeId().uuid()));
    fw.writeString(r.locator());
    fw.writeBytes(r.commit().toBytes());
    if (r.asOfT() == null) {
      fw.writeNull();
    } else {
      fw.writeInt(r.asOfT().longValue());
    }
    if (r.sinceT() == null) {
      fw.writeNull();
    } else {
      fw.writeInt(r.sinceT().longValue());
    }
    fw.writeBoolean(r.history());
  }

  private void list(Collection<?> c) throws IOException {
    Object[] items = c.toArray();
    listHeader(items.length);
    for (Object o : items) {
      value(o);
    }
  }

  private void map(Map<?, ?> m) throws IOException {
    fw.writeTag(Tags.MAP, 1);
    Object[] entries = m.entrySet().toArray();
    listHeader(entries.length * 2);
    for (Object o : entries) {
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
      value(e.getKey());
      value(e.getValue());
    }
  }

  @SuppressWarnings("unchecked")
  private void user(FressianCodec.Handler<?> h, Object v) throws IOException {
    fw.writeTag(h.tag(), 1);
    Object fields = ((FressianCodec.Handler<Object>) h).writer().apply(v);
    value(fields);
  }

  // ---- primitives for ErrorValues ----------------------------------------------------------

  void tag(String tag, int fields) {
    io(() -> fw.writeTag(tag, fields));
  }

  void string(String s) {
    io(() -> fw.writeString(s));
  }

  void stringOrNull(String s) {
    io(() -> {
      if (s == null) {
        fw.writeNull();
      } else {
        fw.writeString(s);
      }
    });
  }

  void integer(long l) {
    io(() -> fw.writeInt(l));
  }

  void nil() {
    io(fw::writeNull);
  }

  void listHeader(int n) {
    io(() -> {
      if (n < Tags.PACKED_LENGTH_END) {
        fw.writeCode(Tags.LIST_PACKED_LENGTH_START + n);
      } else {
        fw.writeCode(Tags.LIST);
        fw.writeCount(n);
      }
    });
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void io(IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
