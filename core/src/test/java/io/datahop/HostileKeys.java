package io.datahop;

import java.util.ArrayList;
import java.util.List;

/** Keys crafted to share one hash code, for the hash-flooding tests of the readers. */
public final class HostileKeys {
  private HostileKeys() {}

  /**
   * {@code n} distinct Longs and Doubles, alternating, that all hash to 0: a long whose two halves
   * are equal hashes to 0, and so does a double with such bits. HashMap cannot order a Long
   * against a Double, so it scans them linearly.
   */
  public static List<Object> longsAndDoubles(int n) {
    List<Object> out = new ArrayList<>(n);
    for (long k = 1; out.size() < n; k++) {
      long bits = (k << 32) | k;
      out.add(bits);
      out.add(Double.longBitsToDouble(bits));
    }
    return out.subList(0, n);
  }

  /** {@code 2^pairs} distinct strings of "Aa"/"BB" pairs, which all share one String hash code. */
  public static List<String> strings(int pairs) {
    List<String> out = new ArrayList<>();
    out.add("");
    for (int i = 0; i < pairs; i++) {
      List<String> next = new ArrayList<>(out.size() * 2);
      for (String s : out) {
        next.add(s + "Aa");
        next.add(s + "BB");
      }
      out = next;
    }
    return out;
  }
}
