package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.index.KeyCodec;
import io.datahop.index.NodeInput;
import io.datahop.index.NodeOutput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The byte form of datom keys inside index nodes (see {@code docs/format.md}, "Datom keys").
 * A run of datoms is written delta-coded against the previous datom of the run: a flag byte
 * says which of e, a, tx repeat, then the changed components, then the typed value.
 *
 * <p>Example: {@code [4398046511105 101 "Ivan" 13194139533313 true]} after a datom with the
 * same e and tx is {@code 0xB9 0x65 0x04 'I' 'v' 'a' 'n'}: flags = tag 9 (string) | added
 * 0x10 | same-e 0x20 | same-tx 0x80, then a = varint 101, then the string's length and UTF-8 bytes.
 */
final class DatomCodec implements KeyCodec<Datom> {
  static final DatomCodec INSTANCE = new DatomCodec();

  private DatomCodec() {}

  @Override
  public void encode(List<Datom> keys, NodeOutput out) {
    encode(keys.toArray(), keys.size(), out);
  }

  @Override
  public void encode(Object[] keys, int count, NodeOutput out) {
    Datom prev = null;
    int touched = 0;
    for (int i = 0; i < count; i += TOUCH) {
      int end = Math.min(count, i + TOUCH);
      touched |= touch(keys, i, end);
      for (int j = i; j < end; j++) {
        Datom d = (Datom) keys[j];
        write(out, d, prev);
        prev = d;
      }
    }
    if (touched < 0) {
      throw new AssertionError(); // never: only uses the touches' result
    }
  }

  /** How many datoms {@link #touch} reads ahead of writing them. */
  private static final int TOUCH = 8;

  /**
   * Reads the datoms {@code keys[from, to)}, then their string values. In AVET order the datoms
   * and their strings lie all over the heap; loads that do not depend on each other miss the
   * cache together (eight misses in about the time of one) instead of one after the other as the
   * writer reaches each datom (encoding 2.4M import-like datoms under C1: ~-13% CPU, AVET alone
   * ~-17%). Returns a non-negative value only so the loads are kept.
   */
  private static int touch(Object[] keys, int from, int to) {
    int h = 0;
    for (int j = from; j < to; j++) {
      if (((Datom) keys[j]).v() == null) {
        h |= 1;
      }
    }
    for (int j = from; j < to; j++) {
      if (((Datom) keys[j]).v() instanceof String s) {
        h |= s.length(); // the length is the value array's header
      }
    }
    return h;
  }

  @Override
  public void decode(NodeInput in, int count, Object[] dst) {
    Datom prev = null;
    for (int i = 0; i < count; i++) {
      prev = read(in, prev);
      dst[i] = prev;
    }
  }

  @Override
  public long heapBytes(int count, int encodedBytes) {
    return 64L + 2L * encodedBytes + 56L * count;
  }

  static final int ADDED = 0x10;
  static final int SAME_E = 0x20;
  static final int SAME_A = 0x40;
  static final int SAME_TX = 0x80;

  /** Writes {@code d}; {@code prev} is the datom written just before in the same run, or null. */
  static void write(NodeOutput out, Datom d, Datom prev) {
    // the common value types are tested here, in line, before the general dispatch: a flush of a
    // big import writes millions of datoms on C1-compiled code, where every call costs
    Object v = d.v();
    int tag = v instanceof String ? Values.T_STRING : v instanceof Long ? Values.T_LONG : Values.typeTag(v);
    int flags = tag | (d.added() ? ADDED : 0);
    long e = d.e();
    long a = d.a();
    long tx = d.tx();
    if (prev == null) {
      out.writeByte(flags);
      out.writeZigZag(e);
      out.writeVarLong(a);
      out.writeZigZag(tx);
    } else {
      long pe = prev.e();
      long ptx = prev.tx();
      if (pe == e) flags |= SAME_E;
      if (prev.a() == a) flags |= SAME_A;
      if (ptx == tx) flags |= SAME_TX;
      out.writeByte(flags);
      if (pe != e) out.writeZigZag(e - pe);
      if ((flags & SAME_A) == 0) out.writeVarLong(a);
      if (ptx != tx) out.writeZigZag(tx - ptx);
    }
    if (tag == Values.T_STRING) {
      out.writeUtf8((String) v);
    } else if (tag == Values.T_LONG) {
      out.writeZigZag((Long) v);
    } else {
      writeValue(out, tag, v);
    }
  }

  static Datom read(NodeInput in, Datom prev) {
    int flags = in.readByte();
    int tag = flags & 0x0F;
    long e = (flags & SAME_E) != 0 ? prev.e() : (prev == null ? 0 : prev.e()) + in.readZigZag();
    long a = (flags & SAME_A) != 0 ? prev.a() : in.readVarLong();
    long tx = (flags & SAME_TX) != 0 ? prev.tx() : (prev == null ? 0 : prev.tx()) + in.readZigZag();
    if (prev == null && (flags & (SAME_E | SAME_A | SAME_TX)) != 0) {
      throw new DatahopException.Fault("format/bad-datom", "first datom of a run refers to a previous one");
    }
    return new Datom(e, a, readValue(in, tag, 0), tx, (flags & ADDED) != 0);
  }

  static void writeValue(NodeOutput out, int tag, Object v) {
    switch (tag) {
      case Values.T_BOOLEAN -> out.writeByte((Boolean) v ? 1 : 0);
      case Values.T_LONG -> out.writeZigZag((Long) v);
      case Values.T_DOUBLE -> out.writeLong(Double.doubleToRawLongBits((Double) v));
      case Values.T_FLOAT -> out.writeInt(Float.floatToRawIntBits((Float) v));
      case Values.T_BIGINT -> {
        byte[] b = ((BigInteger) v).toByteArray();
        out.writeVarLong(b.length);
        out.writeBytes(b);
      }
      case Values.T_BIGDEC -> {
        BigDecimal d = (BigDecimal) v;
        out.writeZigZag(d.scale());
        byte[] b = d.unscaledValue().toByteArray();
        out.writeVarLong(b.length);
        out.writeBytes(b);
      }
      case Values.T_INSTANT -> {
        Instant i = (Instant) v;
        out.writeZigZag(i.getEpochSecond());
        out.writeVarLong(i.getNano());
      }
      case Values.T_UUID -> {
        UUID u = (UUID) v;
        out.writeLong(u.getMostSignificantBits());
        out.writeLong(u.getLeastSignificantBits());
      }
      case Values.T_STRING -> out.writeUtf8((String) v);
      case Values.T_KEYWORD -> out.writeUtf8(((Keyword) v).text());
      case Values.T_SYMBOL -> out.writeUtf8(((Symbol) v).text());
      case Values.T_BYTES -> {
        byte[] b = (byte[]) v;
        out.writeVarLong(b.length);
        out.writeBytes(b);
      }
      case Values.T_TUPLE -> {
        List<?> l = (List<?>) v;
        out.writeVarLong(l.size());
        for (Object o : l) {
          int t = Values.typeTag(o);
          out.writeByte(t);
          writeValue(out, t, o);
        }
      }
      case Values.T_NIL -> {}
      case Values.T_URI -> out.writeUtf8(v.toString());
      default -> throw new IllegalStateException("tag " + tag);
    }
  }

  private static final int MAX_TUPLE_DEPTH = 8;

  /** A stored URI; only a URI's own text was written, so a failure means damage. */
  private static java.net.URI uri(String s) {
    try {
      return new java.net.URI(s);
    } catch (java.net.URISyntaxException e) {
      throw new DatahopException.Fault("format/bad-datom", "a stored URI does not parse: " + e.getMessage());
    }
  }

  static Object readValue(NodeInput in, int tag, int depth) {
    return switch (tag) {
      case Values.T_BOOLEAN -> in.readByte() != 0;
      case Values.T_LONG -> in.readZigZag();
      case Values.T_DOUBLE -> Double.longBitsToDouble(in.readLong());
      case Values.T_FLOAT -> Float.intBitsToFloat(in.readInt());
      case Values.T_BIGINT -> new BigInteger(in.readBytes(in.readVarInt()));
      case Values.T_BIGDEC -> {
        int scale = (int) in.readZigZag();
        yield new BigDecimal(new BigInteger(in.readBytes(in.readVarInt())), scale);
      }
      case Values.T_INSTANT -> Instant.ofEpochSecond(in.readZigZag(), in.readVarLong());
      case Values.T_UUID -> new UUID(in.readLong(), in.readLong());
      case Values.T_STRING -> in.readUtf8();
      case Values.T_KEYWORD -> Keyword.of(in.readUtf8());
      case Values.T_SYMBOL -> Symbol.of(in.readUtf8());
      case Values.T_BYTES -> in.readBytes(in.readVarInt());
      case Values.T_TUPLE -> {
        if (depth > MAX_TUPLE_DEPTH) {
          throw new DatahopException.Fault("format/bad-datom", "tuples nested deeper than " + MAX_TUPLE_DEPTH);
        }
        int n = in.readVarInt();
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(readValue(in, in.readByte(), depth + 1));
        yield java.util.Collections.unmodifiableList(l);
      }
      case Values.T_NIL -> null;
      case Values.T_URI -> uri(in.readUtf8());
      default -> throw new DatahopException.Fault("format/bad-datom", "unknown value tag " + tag);
    };
  }
}
