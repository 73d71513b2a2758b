package io.datahop.index;

import io.datahop.DatahopException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads what a {@link NodeOutput} wrote, from a byte array. Reading past the end or a malformed
 * varint is a {@link DatahopException.Fault} (a node is corrupt or was written by a broken codec),
 * never an {@link ArrayIndexOutOfBoundsException}.
 */
public final class NodeInput {
  private final byte[] buf;
  private int pos;
  private final int end;

  /** Reads {@code buf[off, off+len)}. The array is not copied. */
  public NodeInput(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  /** Reads all of {@code buf}. */
  public NodeInput(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /** Bytes left to read. */
  public int remaining() {
    return end - pos;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new DatahopException.Fault(
          "index/truncated-node",
          "node bytes end early: need " + n + " bytes at offset " + pos + ", have " + (end - pos),
          Map.of("offset", pos, "need", n),
          null);
    }
  }

  /** Reads an unsigned byte (0–255). */
  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  /** Reads {@code len} bytes into a new array. */
  public byte[] readBytes(int len) {
    need(len);
    byte[] out = new byte[len];
    System.arraycopy(buf, pos, out, 0, len);
    pos += len;
    return out;
  }

  /** Copies {@code len} bytes into {@code dst} at {@code off}. */
  public void readBytes(byte[] dst, int off, int len) {
    need(len);
    System.arraycopy(buf, pos, dst, off, len);
    pos += len;
  }

  /** Reads a 4-byte big-endian int. */
  public int readInt() {
    need(4);
    int v =
        ((buf[pos] & 0xFF) << 24)
            | ((buf[pos + 1] & 0xFF) << 16)
            | ((buf[pos + 2] & 0xFF) << 8)
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /** Reads an 8-byte big-endian long. */
  public long readLong() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  /** Reads an unsigned LEB128 varint. */
  public long readVarLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new DatahopException.Fault(
        "index/bad-varint", "varint longer than 10 bytes at offset " + pos);
  }

  /** Reads a varint that must fit a non-negative int (a length or a count). */
  public int readVarInt() {
    long v = readVarLong();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new DatahopException.Fault(
          "index/bad-varint", "varint " + v + " out of int range at offset " + pos);
    }
    return (int) v;
  }

  /** Reads a zig-zag coded varint. */
  public long readZigZag() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  /** Reads a string written by {@link NodeOutput#writeUtf8}. */
  public String readUtf8() {
    int len = readVarInt();
    need(len);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }
}
