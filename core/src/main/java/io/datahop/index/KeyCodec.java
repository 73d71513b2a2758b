package io.datahop.index;

import java.util.List;

/**
 * Writes and reads the keys of one tree node. The codec sees all keys of a node at once, in tree
 * order, so it can prefix- or delta-code neighbours (consecutive datoms of one entity share
 * {@code e} and {@code a}; consecutive longs differ by little).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@code decode(in, keys.size())} after {@code encode(keys, out)} returns keys equal (by the
 *       tree's comparator) to {@code keys}, in the same order, and consumes exactly the bytes
 *       {@code encode} wrote.
 *   <li>The encoding is deterministic: equal key lists give equal bytes (nodes are
 *       content-addressed, so this is what makes re-writing an unchanged node a no-op).
 *   <li>The encoding is part of the store format: changing it needs a new format version.
 *   <li>A codec is stateless and thread-safe; node decoding runs on any reader thread.
 * </ul>
 *
 * <p>The count is written by the node format, not by the codec. Example: {@link
 * KeyCodecs#longs()} writes {@code [1, 2, 300]} as {@code 02 02 d4 04}: zig-zag 1, then the
 * zig-zag deltas 1 and 298.
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {
  /** Appends {@code keys} (one node's keys, in tree order, possibly empty) to {@code out}. */
  void encode(List<K> keys, NodeOutput out);

  /**
   * Appends {@code keys[0, count)}: the same bytes as {@link #encode(List, NodeOutput)} of those
   * keys. The node format calls this one; a codec on the hot path of big flushes overrides it to
   * walk the node's key array directly instead of through a list view.
   */
  @SuppressWarnings("unchecked")
  default void encode(Object[] keys, int count, NodeOutput out) {
    encode((List<K>) java.util.Arrays.asList(keys).subList(0, count), out);
  }

  /**
   * Reads {@code count} keys written by {@link #encode} into {@code dst[0, count)}. The array is
   * the node's key array, so filling it directly avoids a copy.
   */
  void decode(NodeInput in, int count, Object[] dst);

  /**
   * An estimate of the heap bytes a decoded node takes, used to weigh it in the node cache. The
   * default assumes small key objects (about 32 bytes each plus the array slot).
   */
  default long heapBytes(int count, int encodedBytes) {
    return 64L + encodedBytes + 40L * count;
  }
}
