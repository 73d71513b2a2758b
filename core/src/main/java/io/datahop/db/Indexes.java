package io.datahop.db;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/** The four indices of one kind (current or history), updated together. */
record Indexes(DatomIndex eavt, DatomIndex aevt, DatomIndex avet, DatomIndex vaet) {
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
    return new Indexes(
        eavt.update(sorted(removes, IndexType.EAVT), sorted(adds, IndexType.EAVT)),
        aevt.update(sorted(removes, IndexType.AEVT), sorted(adds, IndexType.AEVT)),
        avet.update(sorted(removes, IndexType.AVET), sorted(adds, IndexType.AVET)),
        vaet.update(sorted(refs(removes, isRef), IndexType.VAET), sorted(refs(adds, isRef), IndexType.VAET)));
  }

  private static List<Datom> refs(List<Datom> l, LongPredicate isRef) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : l) if (isRef.test(d.a())) out.add(d);
    return out;
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
