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
    return new Indexes(
        (LayeredIndex) eavt.update(sorted(removes, IndexType.EAVT), sorted(adds, IndexType.EAVT)),
        (LayeredIndex) aevt.update(sorted(removes, IndexType.AEVT), sorted(adds, IndexType.AEVT)),
        (LayeredIndex) avet.update(sorted(removes, IndexType.AVET), sorted(adds, IndexType.AVET)),
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
