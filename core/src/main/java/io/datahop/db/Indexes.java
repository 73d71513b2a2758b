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
    List<Datom> addsE = eavtSorted(adds);
    Runs runs = Runs.of(addsE);
    List<Datom> addsA = runs.list();
    Fork<LayeredIndex> avetF = Fork.start(adds.size() >= PARALLEL_BATCH,
        () -> (LayeredIndex) avet.update(sorted(removes, IndexType.AVET), avetOf(runs, false)));
    LayeredIndex e = (LayeredIndex) eavt.update(sorted(removes, IndexType.EAVT), addsE);
    LayeredIndex a = (LayeredIndex) aevt.update(sorted(removes, IndexType.AEVT), addsA);
    LayeredIndex v = (LayeredIndex) vaet.update(sorted(refs(removes, isRef), IndexType.VAET),
        sorted(runs.refs(isRef), IndexType.VAET));
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

  /**
   * {@code l} in EAVT order. A transaction lists each entity's datoms together and entities in
   * id order more often than not (an import always does): then only each entity's few datoms
   * need sorting, not the whole list.
   */
  static List<Datom> eavtSorted(List<Datom> l) {
    int n = l.size();
    if (n < 64) return sorted(l, IndexType.EAVT);
    Datom[] arr = l.toArray(new Datom[0]);
    for (int i = 1; i < n; i++) {
      if (arr[i].e() < arr[i - 1].e()) return sorted(l, IndexType.EAVT);
    }
    Comparator<Datom> order = DatomOrder.EAVT;
    int start = 0;
    for (int i = 1; i <= n; i++) {
      if (i < n && arr[i].e() == arr[start].e()) continue;
      if (i - start > 32) {
        Arrays.sort(arr, start, i, order);
      } else {
        for (int j = start + 1; j < i; j++) { // insertion sort of one entity's datoms
          Datom d = arr[j];
          int k = j - 1;
          while (k >= start && order.compare(arr[k], d) > 0) {
            arr[k + 1] = arr[k];
            k--;
          }
          arr[k + 1] = d;
        }
      }
      start = i;
    }
    return Arrays.asList(arr);
  }

  /** Datoms in AEVT order with the bounds of each attribute's run. */
  record Runs(Datom[] datoms, long[] attrs, int[] starts) {
    List<Datom> list() {
      return Arrays.asList(datoms);
    }

    /**
     * AEVT order from EAVT order in O(n): a stable bucketing by attribute keeps (e, v, tx) order
     * inside each attribute, which is exactly AEVT.
     */
    static Runs of(List<Datom> eavtSorted) {
      int n = eavtSorted.size();
      if (n < 64) {
        Datom[] arr = sorted(eavtSorted, IndexType.AEVT).toArray(new Datom[0]);
        return ofAevt(arr);
      }
      long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
      for (Datom d : eavtSorted) {
        min = Math.min(min, d.a());
        max = Math.max(max, d.a());
      }
      Datom[] out = new Datom[n];
      if (max - min < 1 << 16) { // attribute ids are dense: count by array index
        int[] count = new int[(int) (max - min) + 2];
        for (Datom d : eavtSorted) count[(int) (d.a() - min) + 1]++;
        for (int i = 1; i < count.length; i++) count[i] += count[i - 1];
        for (Datom d : eavtSorted) out[count[(int) (d.a() - min)]++] = d;
      } else {
        java.util.TreeMap<Long, List<Datom>> buckets = new java.util.TreeMap<>();
        for (Datom d : eavtSorted) buckets.computeIfAbsent(d.a(), k -> new ArrayList<>()).add(d);
        int i = 0;
        for (List<Datom> b : buckets.values()) for (Datom d : b) out[i++] = d;
      }
      return ofAevt(out);
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

  /** AVET order from AEVT runs: each attribute's run sorted by (v, e, tx) alone. */
  static List<Datom> avetOf(Runs runs, boolean parallel) {
    Datom[] arr = runs.datoms().clone();
    AvetSort.sortRuns(arr, runs.starts(), parallel);
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
