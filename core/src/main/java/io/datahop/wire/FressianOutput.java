package io.datahop.wire;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Emits Fressian 0.6.8 bytes into a growable array: packed ints, doubles, floats, strings,
 * bytes, list headers, struct tags (with the struct-type cache) and priority-cache references.
 *
 * <p>Implementation notes: {@code org.fressian.FressianWriter} writes the same bytes but feeds
 * every byte through an Adler32 checksum and a synchronized stream — half the encoding time in a
 * profile — for a footer datahop never writes. Strings and byte arrays are written as one {@code
 * STRING}/{@code BYTES} of their full length rather than 64 KiB chunks, which every Fressian reader
 * accepts. Interoperability with org.fressian is checked by {@code FressianInteropTest}.
 */
final class FressianOutput {
  private static final Map<String, Integer> TAG_CODES =
      Map.of(
          Tags.MAP, Tags.CODE_MAP, Tags.SET, Tags.CODE_SET, Tags.UUID, Tags.CODE_UUID, Tags.URI, Tags.CODE_URI,
          Tags.BIGINT, Tags.CODE_BIGINT, Tags.BIGDEC, Tags.CODE_BIGDEC, Tags.INST, Tags.CODE_INST,
          Tags.SYM, Tags.CODE_SYM, Tags.KEY, Tags.CODE_KEY);

  private byte[] buf = new byte[128];
  private int len;
  private HashMap<String, Integer> structCache;
  private HashMap<Object, Integer> priorityCache;

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int n) {
    if (buf.length - len < n) {
      int want = Math.max(buf.length * 2, len + n);
      if (want < 0) {
        throw new OutOfMemoryError("a wire frame larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, want);
    }
  }

  void code(int code) {
    ensure(1);
    buf[len++] = (byte) code;
  }

  private void rawBE(long v, int n) {
    ensure(n);
    for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  void nil() {
    code(Tags.NULL);
  }

  void bool(boolean b) {
    code(b ? Tags.TRUE : Tags.FALSE);
  }

  /** Fressian's packed ints: 1 byte for -1..63, up to 9 bytes; the same bytes FressianWriter writes. */
  void integer(long i) {
    int bits = Long.numberOfLeadingZeros(i < 0 ? ~i : i);
    if (bits >= 58) {
      if (i < -1) {
        code((int) (0x50 + (i >> 8)));
      }
      code((int) i);
    } else if (bits >= 52) {
      code((int) (0x50 + (i >> 8)));
      code((int) i);
    } else if (bits >= 45) {
      code((int) (0x68 + (i >> 16)));
      rawBE(i, 2);
    } else if (bits >= 39) {
      code((int) (0x72 + (i >> 24)));
      rawBE(i, 3);
    } else if (bits >= 31) {
      code((int) (0x76 + (i >> 32)));
      rawBE(i, 4);
    } else if (bits >= 23) {
      code((int) (0x7A + (i >> 40)));
      rawBE(i, 5);
    } else if (bits >= 15) {
      code((int) (0x7E + (i >> 48)));
      rawBE(i, 6);
    } else {
      code(Tags.INT);
      rawBE(i, 8);
    }
  }

  void doubleValue(double d) {
    long bits = Double.doubleToRawLongBits(d);
    if (bits == 0L) {
      code(Tags.DOUBLE_0); // +0.0 only: -0.0 keeps its sign in the long form
    } else if (d == 1.0) {
      code(Tags.DOUBLE_1);
    } else {
      code(Tags.DOUBLE);
      rawBE(bits, 8);
    }
  }

  void floatValue(float f) {
    code(Tags.FLOAT);
    rawBE(Float.floatToRawIntBits(f) & 0xffffffffL, 4);
  }

  /** UTF-8 of each UTF-16 code unit (surrogates one by one, as Fressian does). */
  void string(String s) {
    int n = s.length();
    int utf8 = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        utf8 += c >= 0x800 ? 2 : 1;
      }
    }
    if (utf8 < Tags.PACKED_LENGTH_END) {
      code(Tags.STRING_PACKED_LENGTH_START + utf8);
    } else {
      code(Tags.STRING);
      integer(utf8);
    }
    ensure(utf8);
    if (utf8 == n) {
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) s.charAt(i);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[len++] = (byte) c;
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else {
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  void stringOrNull(String s) {
    if (s == null) {
      nil();
    } else {
      string(s);
    }
  }

  void bytes(byte[] b) {
    if (b.length < Tags.PACKED_LENGTH_END) {
      code(Tags.BYTES_PACKED_LENGTH_START + b.length);
    } else {
      code(Tags.BYTES);
      integer(b.length);
    }
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  void listHeader(int n) {
    if (n < Tags.PACKED_LENGTH_END) {
      code(Tags.LIST_PACKED_LENGTH_START + n);
    } else {
      code(Tags.LIST);
      integer(n);
    }
  }

  /** A struct header: Fressian's one-byte code for its standard tags, else the struct-type cache. */
  void tag(String tag, int fields) {
    Integer c = TAG_CODES.get(tag);
    if (c != null) {
      code(c);
      return;
    }
    if (structCache == null) {
      structCache = new HashMap<>();
    }
    Integer index = structCache.get(tag);
    if (index == null) {
      structCache.put(tag, structCache.size());
      code(Tags.STRUCTTYPE);
      string(tag);
      integer(fields);
    } else if (index < Tags.STRUCT_CACHE_PACKED_END) {
      code(Tags.STRUCT_CACHE_PACKED_START + index);
    } else {
      code(Tags.STRUCT);
      integer(index);
    }
  }

  /**
   * True when {@code key} was written before in this frame: a cache reference has been written
   * and the caller writes nothing. Otherwise the PUT code is written and the caller writes the value.
   */
  boolean cached(Object key) {
    if (priorityCache == null) {
      priorityCache = new HashMap<>();
    }
    Integer index = priorityCache.get(key);
    if (index == null) {
      priorityCache.put(key, priorityCache.size());
      code(Tags.PUT_PRIORITY_CACHE);
      return false;
    }
    if (index < Tags.PRIORITY_CACHE_PACKED_END) {
      code(Tags.PRIORITY_CACHE_PACKED_START + index);
    } else {
      code(Tags.GET_PRIORITY_CACHE);
      integer(index);
    }
    return true;
  }
}
