package io.datahop;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The bounds datahop holds every value from outside to, so that hostile input costs time in
 * proportion to its size: big numbers (as the EDN and wire readers take them and as query
 * arithmetic makes them) and keys of one hash code in one map or set.
 *
 * <p>Why these: arithmetic on big numbers costs more than linear time in their size (a product of
 * two n-digit numbers, a decimal's rescaling to 10^scale), so a few bytes such as {@code 1e99999999M}
 * or a repeated {@code (* ?x ?x)} would otherwise ask for minutes of CPU and gigabytes. 10,000
 * decimal digits and a scale within ±10,000 are far beyond any measurement, money or id (Datomic's
 * own {@code :db.type/bigdec} values in practice have tens of digits) and keep the worst single
 * operation on bounded operands in the milliseconds. A {@link java.util.HashMap} keeps colliding
 * keys of one class in a tree, but keys of different classes (a Long and a Double, a String and a
 * Keyword) or that are not {@link Comparable} (lists, maps) degrade to linear scans, so n crafted
 * keys of one hash code would cost n^2; no real data has more than a handful of keys of one
 * 32-bit hash code in one collection.
 */
public final class InputBounds {
  private InputBounds() {}

  /** Most decimal digits of a BigInteger, or of a BigDecimal's unscaled value. */
  public static final int MAX_DIGITS = 10_000;

  /** Most bits ({@link BigInteger#bitLength()}) of a big integer: every 10,000-digit integer fits. */
  public static final int MAX_BITS = 33_220;

  /** Largest absolute {@link BigDecimal#scale()}: from {@code 1E-10000M} to {@code 1E+10000M}. */
  public static final int MAX_SCALE = 10_000;

  /** Most keys with one hash code in one map, or elements in one set. */
  public static final int MAX_EQUAL_HASHES = 64;

  /** True when {@code b} has more than {@code maxBits} bits. */
  public static boolean tooManyBits(BigInteger b, int maxBits) {
    return b.bitLength() > maxBits;
  }

  /** True when {@code d}'s unscaled value has more than {@code maxBits} bits. */
  public static boolean tooManyBits(BigDecimal d, int maxBits) {
    // not precision(): for a huge unscaled value it computes a power of ten as large
    return d.unscaledValue().bitLength() > maxBits;
  }

  /** True when {@code d}'s scale is outside ±{@code maxScale}. */
  public static boolean scaleTooLarge(BigDecimal d, int maxScale) {
    return d.scale() > maxScale || d.scale() < -maxScale;
  }

  /**
   * The largest number of the non-null items at {@code items[from], items[from + stride], …}
   * ({@code count} of them) that share one hash code: the keys of a map laid out key, value, … (stride
   * 2) or the elements of a set (stride 1). Linear in {@code count} (plus a sort of their hash
   * codes), and cheap when {@code count} is at most {@code limit}, which no run can exceed.
   */
  public static int equalHashes(Object[] items, int from, int count, int stride, int limit) {
    if (count <= limit) {
      return 0;
    }
    int[] hashes = new int[count];
    int n = 0;
    for (int i = 0, at = from; i < count; i++, at += stride) {
      Object k = items[at];
      if (k != null) {
        hashes[n++] = k.hashCode();
      }
    }
    Arrays.sort(hashes, 0, n);
    int longest = n == 0 ? 0 : 1;
    int run = 1;
    for (int i = 1; i < n; i++) {
      run = hashes[i] == hashes[i - 1] ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
