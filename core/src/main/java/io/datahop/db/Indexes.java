package io.datahop.db;

import java.util.ArrayList;
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

  /** Applies a change set; {@code isRef} selects the attributes kept in VAET. */
  Indexes update(List<Datom> removes, List<Datom> adds, LongPredicate isRef) {
    if (removes.isEmpty() && adds.isEmpty()) return this;
    List<Datom> addsE = sorted(adds, IndexType.EAVT);
    List<Datom> addsA = byAttribute(addsE);
    return new Indexes(
        (LayeredIndex) eavt.update(sorted(removes, IndexType.EAVT), addsE),
        (LayeredIndex) aevt.update(sorted(removes, IndexType.AEVT), addsA),
        (LayeredIndex) avet.update(sorted(removes, IndexType.AVET), avetFromAevt(addsA)),
        (LayeredIndex) vaet.update(sorted(refs(removes, isRef), IndexType.VAET), sorted(refs(adds, isRef), IndexType.VAET)));
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
   * AEVT order from EAVT order in O(n): a stable bucketing by attribute keeps (e, v, tx) order
   * inside each attribute, which is exactly AEVT.
   */
  static List<Datom> byAttribute(List<Datom> eavtSorted) {
    if (eavtSorted.size() < 64) return sorted(eavtSorted, IndexType.AEVT);
    java.util.TreeMap<Long, List<Datom>> buckets = new java.util.TreeMap<>();
    List<Datom> last = null;
    long lastA = Long.MIN_VALUE;
    for (Datom d : eavtSorted) {
      if (d.a() != lastA || last == null) {
        lastA = d.a();
        last = buckets.computeIfAbsent(lastA, k -> new ArrayList<>());
      }
      last.add(d);
    }
    List<Datom> out = new ArrayList<>(eavtSorted.size());
    for (List<Datom> b : buckets.values()) out.addAll(b);
    return out;
  }

  /** AVET order from AEVT order: sort each attribute's run by (v, e, tx) alone. */
  static List<Datom> avetFromAevt(List<Datom> aevtSorted) {
    if (aevtSorted.size() < 64) return sorted(aevtSorted, IndexType.AVET);
    Datom[] arr = aevtSorted.toArray(new Datom[0]);
    java.util.Comparator<Datom> ve = (x, y) -> {
      int c = Values.compare(x.v(), y.v());
      if (c != 0) return c;
      c = Long.compare(x.e(), y.e());
      if (c != 0) return c;
      c = Long.compare(x.tx(), y.tx());
      return c != 0 ? c : Boolean.compare(!x.added(), !y.added());
    };
    int start = 0;
    for (int i = 1; i <= arr.length; i++) {
      if (i == arr.length || arr[i].a() != arr[start].a()) {
        java.util.Arrays.sort(arr, start, i, ve);
        start = i;
      }
    }
    return java.util.Arrays.asList(arr);
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
