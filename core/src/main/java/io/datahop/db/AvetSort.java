package io.datahop.db;

import io.datahop.edn.Keyword;
import io.datahop.index.Fork;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AVET order from AEVT order, one attribute's run at a time. Within an attribute AEVT is
 * (e, v, tx, added) order, so a <em>stable</em> sort by value alone yields (v, e, tx, added),
 * which is AVET: ties need no comparing of entities.
 *
 * <p>A run with few distinct values of one class (a city, an age, a score: values repeat) is
 * not sorted at all: its values are grouped in a hash table, only the distinct values are sorted,
 * and the datoms are placed by a stable counting pass, O(n). A run of strings, longs or doubles
 * is merge-sorted from the ascending stretches it arrives in (an import's names, e-mails, ids);
 * other runs are sorted by value with TimSort.
 */
final class AvetSort {
  /** Batches at least this long are worth sorting on two threads. */
  static int parallelRun = 20_000;

  /** A run grouping more than n / this distinct values is sorted instead. */
  private static final int DISTINCT_SHARE = 16;

  private final Datom[] arr;
  private final int[] starts;
  private final int[] order;
  private final AtomicInteger next = new AtomicInteger();
  private Fork<Void> helper;

  private AvetSort(Datom[] aevt, int[] starts) {
    this.arr = aevt;
    this.starts = starts;
    int runs = starts.length - 1;
    // biggest runs first, so threads sharing the job end close together
    Integer[] bySize = new Integer[runs];
    for (int r = 0; r < runs; r++) bySize[r] = r;
    Arrays.sort(bySize, (x, y) -> Integer.compare(starts[y + 1] - starts[y], starts[x + 1] - starts[x]));
    this.order = new int[runs];
    for (int r = 0; r < runs; r++) order[r] = bySize[r];
  }

  /**
   * Starts sorting every attribute's run of {@code aevt} (bounds in {@code starts}) into AVET
   * order, in place: on a second thread when {@code parallel} and the batch is big, so the caller
   * can do other work before it joins in with {@link #finish}. Each run is sorted by one thread.
   */
  static AvetSort start(Datom[] aevt, int[] starts, boolean parallel) {
    AvetSort job = new AvetSort(aevt, starts);
    job.helper = Fork.start(parallel && aevt.length >= 2L * parallelRun, () -> {
      job.help();
      return null;
    });
    return job;
  }

  /** Sorts the runs no thread has taken yet, then waits for the second thread's. */
  void finish() {
    try {
      help();
    } finally {
      helper.join();
    }
  }

  private void help() {
    for (int i; (i = next.getAndIncrement()) < order.length; ) {
      int r = order[i];
      sortRun(arr, starts[r], starts[r + 1]);
    }
  }

  /** Sorts {@code arr[from, to)}, one attribute's datoms in AEVT order, into AVET order. */
  static void sortRun(Datom[] arr, int from, int to) {
    int n = to - from;
    if (n < 2) return;
    // the class of the first value picks a way; each way gives up, changing nothing, at the first
    // value of another class (no separate pass over the values to check)
    Object v0 = arr[from].v();
    Class<?> c = v0 == null ? null : v0.getClass();
    if (n >= 64 && groupable(c) && grouped(arr, from, to, c)) return;
    if (c == String.class && mergeSortStrings(arr, from, to)) return;
    if ((c == Long.class || c == Double.class) && mergeSortNumbers(arr, from, to, c == Double.class)) return;
    Arrays.sort(arr, from, to, BY_VALUE);
  }

  /**
   * A stable natural merge sort of a run of strings: finds the ascending stretches, then merges
   * neighbours pass by pass. Unlike TimSort's merges, which a one-shot import runs in the
   * interpreter (they are called a few times, with long loops), each pass here is one simple
   * loop that gets compiled early; keys are pulled out of the datoms once. Returns false,
   * changing nothing, at a value that is not a string.
   */
  static boolean mergeSortStrings(Datom[] arr, int from, int to) {
    int n = to - from;
    String[] keys = new String[n];
    Datom[] vals = new Datom[n];
    int[] bounds = new int[n + 1];
    int runs = stretches(arr, from, to, keys, vals, bounds);
    if (runs < 0) return false;
    String[] keys2 = new String[n];
    Datom[] vals2 = new Datom[n];
    while (runs > 1) {
      runs = mergePass(keys, vals, keys2, vals2, bounds, runs);
      String[] tk = keys;
      keys = keys2;
      keys2 = tk;
      Datom[] tv = vals;
      vals = vals2;
      vals2 = tv;
    }
    System.arraycopy(vals, 0, arr, from, n);
    return true;
  }

  /** As {@link #mergeSortStrings}, for a run of longs or of doubles, keyed by a sortable long. */
  static boolean mergeSortNumbers(Datom[] arr, int from, int to, boolean doubles) {
    int n = to - from;
    long[] keys = new long[n];
    Datom[] vals = new Datom[n];
    int[] bounds = new int[n + 1];
    int runs = 0;
    for (int i = 0; i < n; i++) {
      Datom d = arr[from + i];
      long k;
      if (doubles && d.v() instanceof Double x) k = sortable(x);
      else if (!doubles && d.v() instanceof Long x) k = x;
      else return false;
      if (i == 0 || keys[i - 1] > k) bounds[runs++] = i;
      keys[i] = k;
      vals[i] = d;
    }
    bounds[runs] = n;
    long[] keys2 = new long[n];
    Datom[] vals2 = new Datom[n];
    while (runs > 1) {
      runs = mergePass(keys, vals, keys2, vals2, bounds, runs);
      long[] tk = keys;
      keys = keys2;
      keys2 = tk;
      Datom[] tv = vals;
      vals = vals2;
      vals2 = tv;
    }
    System.arraycopy(vals, 0, arr, from, n);
    return true;
  }

  /**
   * A long that orders as {@link Double#compare} orders doubles: the canonical bits (one NaN,
   * above infinity; -0.0 below 0.0), with the magnitude bits of negatives flipped.
   */
  static long sortable(double d) {
    long bits = Double.doubleToLongBits(d);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /** As the string {@link #mergePass}, on long keys. */
  private static int mergePass(long[] k, Datom[] v, long[] k2, Datom[] v2, int[] bounds, int runs) {
    int w = 0;
    for (int j = 0; j < runs; j += 2) {
      int lo = bounds[j], mid = bounds[Math.min(j + 1, runs)], hi = bounds[Math.min(j + 2, runs)];
      bounds[w++] = lo;
      if (mid == hi || k[mid - 1] <= k[mid]) {
        System.arraycopy(k, lo, k2, lo, hi - lo);
        System.arraycopy(v, lo, v2, lo, hi - lo);
        continue;
      }
      int a = lo, b = mid, o = lo;
      while (a < mid && b < hi) {
        if (k[b] < k[a]) {
          k2[o] = k[b];
          v2[o++] = v[b++];
        } else {
          k2[o] = k[a];
          v2[o++] = v[a++];
        }
      }
      System.arraycopy(k, a, k2, o, mid - a);
      System.arraycopy(v, a, v2, o, mid - a);
      o += mid - a;
      System.arraycopy(k, b, k2, o, hi - b);
      System.arraycopy(v, b, v2, o, hi - b);
    }
    bounds[w] = bounds[runs];
    return w;
  }

  /**
   * Copies the run out with its keys and returns the number of ascending stretches, bounds in
   * {@code bounds}; -1 at a value that is not a string.
   */
  private static int stretches(Datom[] arr, int from, int to, String[] keys, Datom[] vals, int[] bounds) {
    int r = 0;
    String prev = null;
    for (int i = from; i < to; i++) {
      Datom d = arr[i];
      if (!(d.v() instanceof String k)) return -1;
      if (prev == null || prev.compareTo(k) > 0) bounds[r++] = i - from;
      keys[i - from] = k;
      vals[i - from] = d;
      prev = k;
    }
    bounds[r] = to - from;
    return r;
  }

  /** Merges stretches pairwise from one pair of arrays into the other; returns the new count. */
  private static int mergePass(String[] k, Datom[] v, String[] k2, Datom[] v2, int[] bounds, int runs) {
    int w = 0;
    for (int j = 0; j < runs; j += 2) {
      int lo = bounds[j], mid = bounds[Math.min(j + 1, runs)], hi = bounds[Math.min(j + 2, runs)];
      bounds[w++] = lo;
      if (mid == hi || k[mid - 1].compareTo(k[mid]) <= 0) { // in order already (or a lone stretch)
        System.arraycopy(k, lo, k2, lo, hi - lo);
        System.arraycopy(v, lo, v2, lo, hi - lo);
        continue;
      }
      int a = lo, b = mid, o = lo;
      while (a < mid && b < hi) {
        if (k[b].compareTo(k[a]) < 0) { // ties from the left stretch first: stable
          k2[o] = k[b];
          v2[o++] = v[b++];
        } else {
          k2[o] = k[a];
          v2[o++] = v[a++];
        }
      }
      System.arraycopy(k, a, k2, o, mid - a);
      System.arraycopy(v, a, v2, o, mid - a);
      o += mid - a;
      System.arraycopy(k, b, k2, o, hi - b);
      System.arraycopy(v, b, v2, o, hi - b);
    }
    bounds[w] = bounds[runs];
    return w;
  }

  /** Classes whose {@code equals} agrees with {@link Values#compare} being 0. */
  private static boolean groupable(Class<?> c) {
    return c == String.class || c == Long.class || c == Double.class || c == Keyword.class || c == Boolean.class;
  }

  private static final Comparator<Datom> BY_VALUE = (x, y) -> Values.compare(x.v(), y.v());

  /**
   * Places the run in AVET order by grouping equal values, when it holds at most n / {@link
   * #DISTINCT_SHARE} distinct ones, all of class {@code c}; returns false, changing nothing, when
   * it holds more or a value of another class.
   */
  private static boolean grouped(Datom[] arr, int from, int to, Class<?> c) {
    int n = to - from;
    int limit = n / DISTINCT_SHARE;
    int bits = 32 - Integer.numberOfLeadingZeros(limit * 2 + 1);
    int mask = (1 << bits) - 1;
    Object[] keys = new Object[1 << bits];
    int[] ids = new int[1 << bits];
    Object[] distinct = new Object[limit];
    int k = 0;
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      Object v = arr[from + i].v();
      if (v == null || v.getClass() != c) return false;
      int h = (v.hashCode() * 0x9E3779B9) >>> (32 - bits);
      while (true) {
        Object key = keys[h];
        if (key == null) {
          if (k == limit) return false;
          keys[h] = v;
          ids[h] = k;
          distinct[k] = v;
          group[i] = k++;
          break;
        }
        if (key == v || key.equals(v)) {
          group[i] = ids[h];
          break;
        }
        h = (h + 1) & mask;
      }
    }
    // rank of each group's value among the distinct values
    Integer[] byValue = new Integer[k];
    for (int g = 0; g < k; g++) byValue[g] = g;
    Object[] vals = distinct;
    Arrays.sort(byValue, (x, y) -> Values.compare(vals[x], vals[y]));
    int[] rank = new int[k];
    for (int r = 0; r < k; r++) rank[byValue[r]] = r;
    int[] pos = new int[k + 1];
    for (int i = 0; i < n; i++) pos[(group[i] = rank[group[i]]) + 1]++;
    for (int r = 0; r < k; r++) pos[r + 1] += pos[r];
    Datom[] out = new Datom[n];
    for (int i = 0; i < n; i++) out[pos[group[i]]++] = arr[from + i]; // stable: AEVT order kept per value
    System.arraycopy(out, 0, arr, from, n);
    return true;
  }
}
