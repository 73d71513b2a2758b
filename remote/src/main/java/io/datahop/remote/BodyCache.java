package io.datahop.remote;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bodies one connection's peer called here and this peer accepted: from the bytes of a lambda
 * identity to its decoded {@link LambdaRef}, and from that to its checked {@link LambdaLoader.Body},
 * so the next call of the same body costs two lookups instead of decoding eight strings and
 * checking its class again. Per connection, bounded by bytes, and filled only after a call was
 * accepted: a stranger can neither fill it before the handshake nor with bodies this peer refuses.
 */
final class BodyCache {
  /** Default budget per connection: a few hundred bodies of ~230 identity bytes. */
  static final int DEFAULT_BYTES = 64 << 10;
  /** What an entry costs besides its identity's bytes (the copied key, the strings, two map nodes). */
  private static final int OVERHEAD = 256;

  private final long maxBytes;
  private final Map<RefBytes, LambdaRef> refs = new ConcurrentHashMap<>();
  private final Map<LambdaRef, LambdaLoader.Body> bodies = new ConcurrentHashMap<>();
  private long bytes;

  BodyCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The identity decoded before from exactly these bytes, or null. */
  LambdaRef ref(byte[] array, int offset, int length) {
    return refs.isEmpty() ? null : refs.get(new RefBytes(array, offset, length));
  }

  /** The checked body of {@code ref}, or null. */
  LambdaLoader.Body body(LambdaRef ref) {
    return bodies.isEmpty() ? null : bodies.get(ref);
  }

  /** {@code ref} was accepted and rebuilt as {@code body}: keep both while the budget allows. */
  void accepted(LambdaRef ref, LambdaLoader.Body body) {
    byte[] identity = FrameCodec.identity(ref);
    long cost = 2L * identity.length + OVERHEAD;
    synchronized (this) {
      if (bytes + cost > maxBytes || bodies.containsKey(ref)) {
        return;
      }
      bytes += cost;
    }
    bodies.put(ref, body);
    refs.put(new RefBytes(identity, 0, identity.length), ref);
  }

  synchronized long bytes() {
    return bytes;
  }

  /** A range of bytes compared by content: the key of a decoded lambda identity. */
  record RefBytes(byte[] array, int offset, int length) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RefBytes r
          && Arrays.equals(array, offset, offset + length, r.array, r.offset, r.offset + r.length);
    }

    /** The length and the last 48 bytes (the fingerprint's tail and more): enough to spread, cheap to compute. */
    @Override
    public int hashCode() {
      int h = length;
      for (int i = Math.max(offset, offset + length - 48); i < offset + length; i++) {
        h = 31 * h + array[i];
      }
      return h;
    }
  }
}
