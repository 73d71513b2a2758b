package io.datahop.db;

import io.datahop.index.Fork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;

/** The four indices of one kind (current or history), updated together. */
record Indexes(LayeredIndex eavt, LayeredIndex aevt, LayeredIndex avet, LayeredIndex vaet) {
  DatomIndex get(IndexType t) {
    return switch (t) {
      case EAVT -> eavt;
      case AEVT -> aevt;
      case AVET -> avet;
      case VAET -> vaet;
    };
  }

  /** Batches at least this large build AVET on a second thread while EAVT and AEVT are built. */
  static final int PARALLEL_BATCH = 50_000;

  /** Applies a change set; {@code isRef} selects the attributes kept in VAET. */
  Indexes update(List<Datom> removes, List<Datom> adds, LongPredicate isRef) {
    if (removes.isEmpty() && adds.isEmpty()) return this;
    boolean big = adds.size() >= PARALLEL_BATCH;
    Eavt sortedAdds = eavtArray(adds, big);
    boolean strict = sortedAdds.strict(); // then so is every other order of the same datoms
    Runs runs = Runs.of(sortedAdds.datoms(), big);
    // AVET: each attribute's run sorted by value, on both threads (this one joins in once
    // EAVT is built); then AVET and AEVT are built side by side
    Datom[] avetArr = runs.datoms().clone();
    AvetSort avetSort = AvetSort.start(avetArr, runs.starts(), big);
    LayeredIndex e = eavt.update(sorted(removes, IndexType.EAVT), Arrays.asList(sortedAdds.datoms()), strict);
    avetSort.finish();
    Fork<LayeredIndex> avetF = Fork.start(big,
        () -> avet.update(sorted(removes, IndexType.AVET), Arrays.asList(avetArr), strict));
    LayeredIndex a = aevt.update(sorted(removes, IndexType.AEVT), runs.list(), strict);
    LayeredIndex v = vaet.update(sorted(refs(removes, isRef), IndexType.VAET),
        sorted(runs.refs(isRef), IndexType.VAET), strict);
    return new Indexes(e, a, avetF.join(), v);
  }

  /** The same content with every overlay folded into its base. */
  Indexes materialize() {
    return new Indexes(eavt.materialize(), aevt.materialize(), avet.materialize(), vaet.materialize());
  }

  private static List<Datom> refs(List<Datom> l, LongPredicate isRef) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : l) if (isRef.test(d.a())) out.add(d);
    return out;
  }

  /** Datoms in EAVT order; {@code strict} when no two are equal (the order is total). */
  record Eavt(Datom[] datoms, boolean strict) {}

  /**
   * {@code l} in EAVT order. A transaction lists each entity's datoms together and entities in
   * id order more often than not (an import always does): then only each entity's few datoms
   * need sorting, not the whole list. A big batch is checked in two halves on two threads when
   * {@code parallel}.
   */
  static Eavt eavtArray(List<Datom> l, boolean parallel) {
    int n = l.size();
    Datom[] arr = l.toArray(new Datom[0]);
    if (n < 64) return fullSort(arr);
    int mid = n / 2;
    while (mid < n && arr[mid].e() == arr[mid - 1].e()) mid++; // halves split between entities
    int m = mid;
    Fork<Integer> first = Fork.start(parallel && m < n, () -> sortEntities(arr, 0, m));
    int second = sortEntities(arr, m, n);
    int firstResult = first.join();
    if (firstResult == UNSORTED || second == UNSORTED || (m < n && arr[m].e() < arr[m - 1].e())) {
      return fullSort(l.toArray(new Datom[0]));
    }
    return new Eavt(arr, firstResult == STRICT && second == STRICT);
  }

  private static Eavt fullSort(Datom[] arr) {
    Arrays.sort(arr, DatomOrder.EAVT);
    boolean strict = true;
    for (int i = 1; i < arr.length && strict; i++) strict = DatomOrder.EAVT.compare(arr[i - 1], arr[i]) < 0;
    return new Eavt(arr, strict);
  }

  private static final int UNSORTED = 0, STRICT = 1, REPEATS = 2;

  /**
   * Sorts each entity's datoms of {@code arr[from, to)} in place and returns {@link #STRICT} (or
   * {@link #REPEATS} when two datoms are equal), or returns {@link #UNSORTED} as soon as it
   * finds entities out of id order (the caller then sorts the whole batch). An entity whose
   * attributes already ascend, as a map's usually do, is only read.
   */
  private static int sortEntities(Datom[] arr, int from, int to) {
    if (from >= to) return STRICT;
    int result = STRICT;
    int start = from;
    long e = arr[from].e(), a = arr[from].a();
    boolean ordered = true;
    for (int i = from + 1; i <= to; i++) {
      if (i < to) {
        Datom d = arr[i];
        if (d.e() == e) {
          long da = d.a();
          if (da <= a) ordered = false; // an equal attribute needs its values compared
          a = da;
          continue;
        }
        if (d.e() < e) return UNSORTED;
        e = d.e();
        a = d.a();
      }
      if (!ordered && !sortEntity(arr, start, i)) result = REPEATS;
      ordered = true;
      start = i;
    }
    return result;
  }

  /** Sorts one entity's datoms; false when two of them are equal. */
  private static boolean sortEntity(Datom[] arr, int start, int end) {
    Comparator<Datom> order = DatomOrder.EAVT;
    if (end - start > 32) {
      Arrays.sort(arr, start, end, order);
    } else {
      for (int j = start + 1; j < end; j++) { // insertion sort of one entity's datoms
        Datom d = arr[j];
        int k = j - 1;
        while (k >= start && order.compare(arr[k], d) > 0) {
          arr[k + 1] = arr[k];
          k--;
        }
        arr[k + 1] = d;
      }
    }
    for (int i = start + 1; i < end; i++) if (order.compare(arr[i - 1], arr[i]) == 0) return false;
    return true;
  }

  /** Datoms in AEVT order with the bounds of each attribute's run. */
  record Runs(Datom[] datoms, long[] attrs, int[] starts) {
    List<Datom> list() {
      return Arrays.asList(datoms);
    }

    static Runs of(List<Datom> eavtSorted) {
      return of(eavtSorted.toArray(new Datom[0]), false);
    }

    /**
     * AEVT order from EAVT order in O(n): a stable bucketing by attribute keeps (e, v, tx) order
     * inside each attribute, which is exactly AEVT. With {@code parallel} each half of the
     * batch is counted and placed on its own thread, the second half's datoms after the
     * first's in every bucket.
     */
    static Runs of(Datom[] eavt, boolean parallel) {
      int n = eavt.length;
      if (n < 64) {
        Datom[] arr = eavt.clone();
        Arrays.sort(arr, DatomOrder.AEVT);
        return ofAevt(arr);
      }
      int mid = n / 2;
      Fork<long[]> firstRange = Fork.start(parallel, () -> range(eavt, 0, mid));
      long[] r2 = range(eavt, mid, n);
      long[] r1 = firstRange.join();
      long min = Math.min(r1[0], r2[0]), max = Math.max(r1[1], r2[1]);
      Datom[] out = new Datom[n];
      if (max - min >= 1 << 16) { // sparse attribute ids
        java.util.TreeMap<Long, List<Datom>> buckets = new java.util.TreeMap<>();
        for (Datom d : eavt) buckets.computeIfAbsent(d.a(), k -> new ArrayList<>()).add(d);
        int i = 0;
        for (List<Datom> b : buckets.values()) for (Datom d : b) out[i++] = d;
        return ofAevt(out);
      }
      // attribute ids are dense: count by array index
      int size = (int) (max - min) + 1;
      Fork<int[]> firstCount = Fork.start(parallel, () -> count(eavt, 0, mid, min, size));
      int[] c2 = count(eavt, mid, n, min, size);
      int[] c1 = firstCount.join();
      int runs = 0;
      for (int b = 0; b < size; b++) if (c1[b] + c2[b] > 0) runs++;
      long[] attrs = new long[runs];
      int[] starts = new int[runs + 1];
      int[] at1 = new int[size], at2 = new int[size]; // where each half's next datom of a bucket goes
      int r = 0, pos = 0;
      for (int b = 0; b < size; b++) {
        if (c1[b] + c2[b] == 0) continue;
        attrs[r] = min + b;
        starts[r++] = pos;
        at1[b] = pos;
        at2[b] = pos + c1[b];
        pos += c1[b] + c2[b];
      }
      starts[runs] = n;
      Fork<Void> firstPlace = Fork.start(parallel, () -> {
        place(eavt, 0, mid, min, at1, out);
        return null;
      });
      place(eavt, mid, n, min, at2, out);
      firstPlace.join();
      return new Runs(out, attrs, starts);
    }

    private static long[] range(Datom[] arr, int from, int to) {
      long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
      for (int i = from; i < to; i++) {
        long a = arr[i].a();
        if (a < min) min = a;
        if (a > max) max = a;
      }
      return new long[] {min, max};
    }

    private static int[] count(Datom[] arr, int from, int to, long min, int size) {
      int[] c = new int[size];
      for (int i = from; i < to; i++) c[(int) (arr[i].a() - min)]++;
      return c;
    }

    private static void place(Datom[] arr, int from, int to, long min, int[] at, Datom[] out) {
      for (int i = from; i < to; i++) {
        Datom d = arr[i];
        out[at[(int) (d.a() - min)]++] = d;
      }
    }

    private static Runs ofAevt(Datom[] aevt) {
      int runs = 0;
      for (int i = 0; i < aevt.length; i++) if (i == 0 || aevt[i].a() != aevt[i - 1].a()) runs++;
      long[] attrs = new long[runs];
      int[] starts = new int[runs + 1];
      int r = 0;
      for (int i = 0; i < aevt.length; i++) {
        if (i == 0 || aevt[i].a() != aevt[i - 1].a()) {
          attrs[r] = aevt[i].a();
          starts[r++] = i;
        }
      }
      starts[runs] = aevt.length;
      return new Runs(aevt, attrs, starts);
    }

    /** The datoms of ref attributes, asking {@code isRef} once per attribute. */
    List<Datom> refs(LongPredicate isRef) {
      List<Datom> out = new ArrayList<>();
      for (int r = 0; r < attrs.length; r++) {
        if (isRef.test(attrs[r])) out.addAll(Arrays.asList(datoms).subList(starts[r], starts[r + 1]));
      }
      return out;
    }
  }

  /** AVET order from AEVT runs: each attribute's run sorted by (v, e, tx). */
  static List<Datom> avetOf(Runs runs, boolean parallel) {
    Datom[] arr = runs.datoms().clone();
    AvetSort.start(arr, runs.starts(), parallel).finish();
    return Arrays.asList(arr);
  }

  /** The distinct attributes of {@code l} for which {@code isRef} holds, ascending. */
  static long[] refAttrs(List<Datom> l, LongPredicate isRef) {
    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    for (Datom d : l) {
      min = Math.min(min, d.a());
      max = Math.max(max, d.a());
    }
    java.util.SortedSet<Long> attrs = new java.util.TreeSet<>();
    if (!l.isEmpty() && max - min < 1 << 16) { // dense ids: no boxing per datom
      java.util.BitSet seen = new java.util.BitSet();
      for (Datom d : l) seen.set((int) (d.a() - min));
      for (int i = seen.nextSetBit(0); i >= 0; i = seen.nextSetBit(i + 1)) attrs.add(min + i);
    } else {
      for (Datom d : l) attrs.add(d.a());
    }
    return attrs.stream().filter(isRef::test).mapToLong(Long::longValue).toArray();
  }

  static List<Datom> sorted(List<Datom> l, IndexType t) {
    if (l.size() < 2) return l;
    List<Datom> c = new ArrayList<>(l);
    c.sort(DatomOrder.of(t));
    return c;
  }

  long size() {
    return eavt.size();
  }
}
