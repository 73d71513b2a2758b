package io.datahop.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that a {@link KeyCodec} writes keys into. It is a plain final class
 * rather than {@link java.io.DataOutput} so writes are monomorphic, never throw checked
 * exceptions and never synchronize.
 *
 * <p>Integers are big-endian; varints are unsigned LEB128 (7 bits a byte, low group first, high
 * bit set on every byte but the last); zig-zag varints map small negative numbers to small
 * codes ({@code 0→0, -1→1, 1→2, …}).
 */
public final class NodeOutput {
  private byte[] buf;
  private int pos;

  /** An empty buffer with room for {@code capacity} bytes before it grows. */
  public NodeOutput(int capacity) {
    this.buf = new byte[Math.max(16, capacity)];
  }

  /** An empty buffer. */
  public NodeOutput() {
    this(4096);
  }

  private void ensure(int extra) {
    // the check alone, small enough for C1 to inline into every write (the growth is rare)
    if (pos + extra > buf.length) {
      grow(extra);
    }
  }

  private void grow(int extra) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
  }

  /** Number of bytes written so far. */
  public int size() {
    return pos;
  }

  /** Forgets everything written, keeping the buffer. */
  public void reset() {
    pos = 0;
  }

  /** The buffer itself: the bytes written are {@code [0, size())}; valid until the next write. */
  byte[] array() {
    return buf;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Writes the low 8 bits of {@code b}. */
  public void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  /** Writes {@code len} bytes of {@code src} from {@code off}. */
  public void writeBytes(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, buf, pos, len);
    pos += len;
  }

  /** Writes all of {@code src}. */
  public void writeBytes(byte[] src) {
    writeBytes(src, 0, src.length);
  }

  /** Writes a 4-byte big-endian int. */
  public void writeInt(int v) {
    ensure(4);
    buf[pos] = (byte) (v >>> 24);
    buf[pos + 1] = (byte) (v >>> 16);
    buf[pos + 2] = (byte) (v >>> 8);
    buf[pos + 3] = (byte) v;
    pos += 4;
  }

  /** Writes an 8-byte big-endian long. */
  public void writeLong(long v) {
    ensure(8);
    byte[] b = buf;
    int p = pos;
    b[p] = (byte) (v >>> 56);
    b[p + 1] = (byte) (v >>> 48);
    b[p + 2] = (byte) (v >>> 40);
    b[p + 3] = (byte) (v >>> 32);
    b[p + 4] = (byte) (v >>> 24);
    b[p + 5] = (byte) (v >>> 16);
    b[p + 6] = (byte) (v >>> 8);
    b[p + 7] = (byte) v;
    pos = p + 8;
  }

  /** Writes {@code v} as an unsigned LEB128 varint (1–10 bytes); negative values take 10. */
  public void writeVarLong(long v) {
    // small enough for C1 to inline (<= 35 bytecodes): most varints of a node are one byte
    if (v >>> 7 == 0) {
      writeByte((int) v);
    } else {
      writeVarLongSlow(v);
    }
  }

  private void writeVarLongSlow(long v) {
    ensure(10);
    byte[] b = buf;
    int p = pos;
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    pos = p;
  }

  /** Writes a non-negative int as an unsigned varint. */
  public void writeVarInt(int v) {
    writeVarLong(v & 0xFFFFFFFFL);
  }

  /** Writes {@code v} zig-zag coded, so values near zero of either sign are short. */
  public void writeZigZag(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }

  /** Writes a string as a varint byte length followed by its UTF-8 bytes. */
  public void writeUtf8(String s) {
    int n = s.length();
    if (n < 0x80) {
      // short ASCII, the common case: the UTF-8 bytes are the chars, the length is one byte. Four
      // chars a step with one test at the end: C1 adds a safepoint poll to every loop iteration
      ensure(n + 1);
      byte[] b = buf;
      int p = pos + 1;
      int seen = 0; // every char or-ed: below 0x80 when all are ASCII
      int i = 0;
      for (; i + 4 <= n; i += 4) {
        char c0 = s.charAt(i);
        char c1 = s.charAt(i + 1);
        char c2 = s.charAt(i + 2);
        char c3 = s.charAt(i + 3);
        b[p + i] = (byte) c0;
        b[p + i + 1] = (byte) c1;
        b[p + i + 2] = (byte) c2;
        b[p + i + 3] = (byte) c3;
        seen |= c0 | c1 | c2 | c3;
      }
      for (; i < n; i++) {
        char c = s.charAt(i);
        b[p + i] = (byte) c;
        seen |= c;
      }
      if (seen < 0x80) {
        b[p - 1] = (byte) n;
        pos = p + n;
        return;
      }
      // not ASCII: what was copied is overwritten below
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(b.length);
    writeBytes(b);
  }
}
