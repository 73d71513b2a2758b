package io.datahop.edn;

import java.nio.charset.StandardCharsets;

/**
 * The bytes an {@link EdnParser} reads, and how runs of them turn back into chars. EDN read from
 * a file or the network stays in its UTF-8 bytes: every EDN delimiter is ASCII and no byte of a
 * multi-byte UTF-8 character is, so the parser scans bytes and decodes only what becomes a
 * String (ASCII, the usual case, is copied as Latin-1). A malformed UTF-8 sequence reads as
 * U+FFFD, exactly as decoding the whole input first would (the JDK decoder never lets one
 * swallow an ASCII byte, and runs end at ASCII delimiters).
 *
 * <p>A Java String is encoded one UTF-16 unit at a time (1 to 3 bytes each, as in CESU-8), so
 * that unpaired surrogates, which UTF-8 cannot carry, read back exactly.
 *
 * <p>Positions in errors are chars counted from {@code from}, as they were when the parser read
 * a String; they are worked out only when an error is raised.
 */
final class EdnBytes {
  final byte[] b;
  final int from;
  final int end;
  /** True: UTF-8 (decoded by the JDK); false: the unit-by-unit encoding of a String. */
  private final boolean utf8;

  private EdnBytes(byte[] b, int from, int end, boolean utf8) {
    this.b = b;
    this.from = from;
    this.end = end;
    this.utf8 = utf8;
  }

  /** {@code utf8[from, to)}, which the caller must not change while it is read. */
  static EdnBytes utf8(byte[] utf8, int from, int to) {
    java.util.Objects.checkFromToIndex(from, to, utf8.length);
    return new EdnBytes(utf8, from, to, true);
  }

  static EdnBytes of(String s) {
    int n = s.length();
    int extra = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) extra += c < 0x800 ? 1 : 2;
    }
    if (extra == 0) {
      byte[] ascii = s.getBytes(StandardCharsets.ISO_8859_1);
      return new EdnBytes(ascii, 0, ascii.length, true);
    }
    byte[] out = new byte[n + extra];
    int j = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[j++] = (byte) c;
      } else if (c < 0x800) {
        out[j++] = (byte) (0xC0 | c >> 6);
        out[j++] = (byte) (0x80 | c & 0x3F);
      } else {
        out[j++] = (byte) (0xE0 | c >> 12);
        out[j++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[j++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return new EdnBytes(out, 0, out.length, false);
  }

  /** The chars of bytes {@code [a, z)}, which start and end on character boundaries. */
  String decode(int a, int z) {
    for (int i = a; i < z; i++) {
      if (b[i] < 0) return utf8 ? new String(b, a, z - a, StandardCharsets.UTF_8) : decodeUnits(a, z);
    }
    return new String(b, a, z - a, StandardCharsets.ISO_8859_1);
  }

  private String decodeUnits(int a, int z) {
    char[] out = new char[z - a];
    int n = 0;
    for (int i = a; i < z; ) {
      int x = b[i] & 0xFF;
      int len = x < 0x80 ? 1 : x < 0xE0 ? 2 : 3;
      if (i + len > z) break; // a window cut mid-character (error text only)
      out[n++] = switch (len) {
        case 1 -> (char) x;
        case 2 -> (char) ((x & 0x1F) << 6 | b[i + 1] & 0x3F);
        default -> (char) ((x & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F);
      };
      i += len;
    }
    return new String(out, 0, n);
  }

  /** The bytes the character starting at {@code at} takes (1 for a stray continuation byte). */
  private int charBytes(int at) {
    int x = b[at] & 0xFF;
    int len = x < 0xC0 ? 1 : x < 0xE0 ? 2 : x < 0xF0 ? 3 : 4;
    return Math.min(len, end - at);
  }

  /** The (first UTF-16 unit of the) character starting at byte {@code at} < end. */
  char charAt(int at) {
    byte x = b[at];
    return x >= 0 ? (char) x : decode(at, at + charBytes(at)).charAt(0);
  }

  /** Up to {@code n} chars from byte {@code at}, for error messages. */
  String charsFrom(int at, int n) {
    int z = at;
    for (int k = 0; k < n && z < end; k++) z += charBytes(z);
    return decode(at, z);
  }

  /** How many bytes chars {@code [i, j)} of {@code s}, read from this input, took. */
  int byteLength(String s, int i, int j) {
    if (utf8) return s.substring(i, j).getBytes(StandardCharsets.UTF_8).length;
    int n = 0;
    for (int k = i; k < j; k++) {
      char c = s.charAt(k);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
  }

  /** How many chars bytes {@code [a, z)} decode to. */
  int chars(int a, int z) {
    if (utf8) return decode(a, z).length();
    int n = 0;
    for (int i = a; i < z; i++) {
      if ((b[i] & 0xC0) != 0x80) n++;
    }
    return n;
  }

  /** {line, column, offset} (line and column 1-based) of byte {@code at}, in chars. */
  long[] position(int at) {
    int z = Math.min(at, end);
    long line = 1;
    int lineStart = from;
    for (int i = from; i < z; i++) {
      if (b[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new long[] {line, chars(lineStart, z) + 1, chars(from, z)};
  }
}
