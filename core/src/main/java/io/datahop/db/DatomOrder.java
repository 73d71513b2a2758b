package io.datahop.db;

import java.util.Comparator;

/**
 * The sort orders of the four indices. Every order is total over (e, a, v, tx, added), so a
 * history index can hold an assertion and its retraction side by side; the current indices hold
 * at most one datom per (e, a, v), so their order is effectively the first three letters.
 *
 * <p>Range bounds use entity ids {@code 0}/{@link Long#MAX_VALUE} and the value sentinels
 * {@link Values#MIN}/{@link Values#MAX} for the components a caller left open.
 */
final class DatomOrder {
  private DatomOrder() {}

  static final Comparator<Datom> EAVT = (x, y) -> {
    int c = Long.compare(x.e(), y.e());
    if (c != 0) return c;
    c = Long.compare(x.a(), y.a());
    if (c != 0) return c;
    c = Values.compare(x.v(), y.v());
    return c != 0 ? c : tail(x, y);
  };

  static final Comparator<Datom> AEVT = (x, y) -> {
    int c = Long.compare(x.a(), y.a());
    if (c != 0) return c;
    c = Long.compare(x.e(), y.e());
    if (c != 0) return c;
    c = Values.compare(x.v(), y.v());
    return c != 0 ? c : tail(x, y);
  };

  static final Comparator<Datom> AVET = (x, y) -> {
    int c = Long.compare(x.a(), y.a());
    if (c != 0) return c;
    c = Values.compare(x.v(), y.v());
    if (c != 0) return c;
    c = Long.compare(x.e(), y.e());
    return c != 0 ? c : tail(x, y);
  };

  static final Comparator<Datom> VAET = (x, y) -> {
    int c = Values.compare(x.v(), y.v());
    if (c != 0) return c;
    c = Long.compare(x.a(), y.a());
    if (c != 0) return c;
    c = Long.compare(x.e(), y.e());
    return c != 0 ? c : tail(x, y);
  };

  private static int tail(Datom x, Datom y) {
    int c = Long.compare(x.tx(), y.tx());
    // a retraction sorts after the assertion of the same tx (only bounds can tie here)
    return c != 0 ? c : Boolean.compare(!x.added(), !y.added());
  }

  static Comparator<Datom> of(IndexType type) {
    return switch (type) {
      case EAVT -> EAVT;
      case AEVT -> AEVT;
      case AVET -> AVET;
      case VAET -> VAET;
    };
  }

  /**
   * The lowest (or highest) datom whose leading components, in {@code type}'s order, equal the
   * given ones. {@code comps} are already resolved: longs for e/a/tx, stored values for v.
   */
  static Datom bound(IndexType type, Object[] comps, boolean high) {
    long e = high ? Long.MAX_VALUE : Long.MIN_VALUE;
    long a = e;
    long tx = e;
    Object v = high ? Values.MAX : Values.MIN;
    boolean added = !high;
    String order = switch (type) {
      case EAVT -> "eavt";
      case AEVT -> "aevt";
      case AVET -> "avet";
      case VAET -> "vaet";
    };
    for (int i = 0; i < comps.length && i < 4; i++) {
      Object c = comps[i];
      switch (order.charAt(i)) {
        case 'e' -> e = (Long) c;
        case 'a' -> a = (Long) c;
        case 'v' -> v = c;
        default -> tx = (Long) c;
      }
    }
    return new Datom(e, a, v, tx, added);
  }
}
