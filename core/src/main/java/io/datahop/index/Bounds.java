package io.datahop.index;

import java.util.Comparator;

/** Binary searches shared by leaves, branches and cursors. */
final class Bounds {
  private Bounds() {}

  /**
   * The first index in {@code a[0, len)} whose element is {@code >= key} ({@code > key} when
   * {@code strict}) under {@code cmp}, or {@code len}. {@code cmp} may be coarser than the tree
   * order (a prefix comparator) as long as it is monotone over it.
   */
  static int lower(Object[] a, int len, Object key, Comparator<Object> cmp, boolean strict) {
    int lo = 0;
    int hi = len;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = cmp.compare(a[mid], key);
      if (c < 0 || (strict && c == 0)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
