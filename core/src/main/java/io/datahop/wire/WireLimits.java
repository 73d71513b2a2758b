package io.datahop.wire;

import io.datahop.InputBounds;

/**
 * Bounds the decoder enforces before it allocates, so hostile bytes cannot exhaust memory or
 * time. Every length prefix is also checked against the bytes actually left in the frame.
 *
 * @param maxFrameBytes largest frame {@code decode} accepts
 * @param maxStringBytes largest UTF-8 length of one string
 * @param maxBytesLength largest byte array
 * @param maxCollection most elements in one list, set or map (a map counts keys and values)
 * @param maxElements most values in one frame, counting every use of a cached value in full
 *     (bounds the logical size of shared structure, so hashing or printing the result is bounded)
 * @param maxDepth deepest nesting of values
 * @param maxBigNumberBytes largest two's-complement BigInteger, or BigDecimal unscaled value, in
 *     bytes
 * @param maxScale largest absolute BigDecimal scale
 * @param maxEqualHashes most keys of one hash code in one map or set, whatever their type (hash
 *     flooding: see {@link io.datahop.InputBounds})
 */
record WireLimits(
    int maxFrameBytes,
    int maxStringBytes,
    int maxBytesLength,
    int maxCollection,
    long maxElements,
    int maxDepth,
    int maxBigNumberBytes,
    int maxScale,
    int maxEqualHashes) {
  /** The bytes of a {@link InputBounds#MAX_BITS}-bit integer and its sign bit: 10,000 decimal digits. */
  static final int BIG_NUMBER_BYTES = InputBounds.MAX_BITS / 8 + 1;

  static final WireLimits DEFAULT =
      new WireLimits(
          64 << 20,
          64 << 20,
          64 << 20,
          16 << 20,
          16L << 20,
          1024,
          BIG_NUMBER_BYTES,
          InputBounds.MAX_SCALE,
          InputBounds.MAX_EQUAL_HASHES);

  /** Largest struct field count a STRUCTTYPE may announce. */
  static final int MAX_STRUCT_FIELDS = 64;
}
