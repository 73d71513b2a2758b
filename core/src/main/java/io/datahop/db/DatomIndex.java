package io.datahop.db;

import io.datahop.store.Address;
import java.util.Iterator;
import java.util.List;

/**
 * One sorted, persistent set of datoms in one {@link IndexType} order. Updating returns a new
 * index and leaves this one as it was; {@link #flush} writes what is not stored yet.
 */
interface DatomIndex {
  /** Datoms {@code lo <= d <= hi} in order ({@code null} bounds are open). */
  Iterator<Datom> slice(Datom lo, Datom hi);

  /** Datoms {@code lo >= d >= hi} in reverse order. */
  Iterator<Datom> rslice(Datom hi, Datom lo);

  /** How many datoms {@link #slice} would return, in O(log n). */
  long count(Datom lo, Datom hi);

  long size();

  /** A new index without {@code removes} and with {@code adds} (both sorted by this order). */
  DatomIndex update(List<Datom> removes, List<Datom> adds);

  /** Writes unstored nodes to the store; the root's address, or null for an empty index. */
  Address flush();

  /** Structure statistics for {@code datahop stats}: depth and node count. */
  default long[] depthAndNodes() {
    return new long[] {1, 1};
  }
}
