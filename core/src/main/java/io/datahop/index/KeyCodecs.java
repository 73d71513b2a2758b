package io.datahop.index;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Key codecs for simple key types: tests, benchmarks and single-column indices. */
public final class KeyCodecs {
  private KeyCodecs() {}

  /**
   * {@link Long} keys: the first key zig-zag coded, then each key as the zig-zag delta from the
   * previous one. Dense ascending keys take one byte each.
   */
  public static KeyCodec<Long> longs() {
    return LongCodec.INSTANCE;
  }

  /**
   * {@link String} keys, front-coded: for each key a varint count of UTF-16 units shared with the
   * previous key, then the rest as a varint byte length and UTF-8 bytes.
   */
  public static KeyCodec<String> strings() {
    return StringCodec.INSTANCE;
  }

  private enum LongCodec implements KeyCodec<Long> {
    INSTANCE;

    @Override
    public void encode(List<Long> keys, NodeOutput out) {
      long prev = 0;
      for (int i = 0, n = keys.size(); i < n; i++) {
        long k = keys.get(i);
        out.writeZigZag(k - prev);
        prev = k;
      }
    }

    @Override
    public void decode(NodeInput in, int count, Object[] dst) {
      long prev = 0;
      for (int i = 0; i < count; i++) {
        prev += in.readZigZag();
        dst[i] = prev;
      }
    }

    @Override
    public long heapBytes(int count, int encodedBytes) {
      return 64L + encodedBytes + 24L * count;
    }
  }

  private enum StringCodec implements KeyCodec<String> {
    INSTANCE;

    @Override
    public void encode(List<String> keys, NodeOutput out) {
      String prev = "";
      for (int i = 0, n = keys.size(); i < n; i++) {
        String k = keys.get(i);
        int shared = sharedPrefix(prev, k);
        out.writeVarInt(shared);
        out.writeUtf8(k.substring(shared));
        prev = k;
      }
    }

    @Override
    public void decode(NodeInput in, int count, Object[] dst) {
      String prev = "";
      for (int i = 0; i < count; i++) {
        int shared = in.readVarInt();
        String rest = in.readUtf8();
        if (shared > prev.length()) {
          throw new io.datahop.DatahopException.Fault(
              "index/bad-key", "shared prefix " + shared + " longer than previous key");
        }
        prev = shared == 0 ? rest : prev.substring(0, shared).concat(rest);
        dst[i] = prev;
      }
    }

    private static int sharedPrefix(String a, String b) {
      int n = Math.min(a.length(), b.length());
      int i = 0;
      while (i < n && a.charAt(i) == b.charAt(i)) {
        i++;
      }
      // never split a surrogate pair: the suffix is written as UTF-8, which needs whole pairs
      if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
        i--;
      }
      return i;
    }

    @Override
    public long heapBytes(int count, int encodedBytes) {
      return 64L + 3L * encodedBytes + 48L * count;
    }
  }
}
