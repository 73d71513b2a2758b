package io.datahop.edn;

import java.util.AbstractList;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * An EDN list {@code (a b c)}: an unmodifiable {@link java.util.List} that stays distinguishable
 * from a vector {@code [a b c]} by its type, because Datalog gives the two different meanings
 * ({@code (count ?x)} is a call, {@code [?x ...]} a binding form).
 *
 * <p>As in Clojure, an EdnList is {@link #equals equal} to any List with the same elements; test
 * {@code instanceof EdnList} where the difference matters. Elements may be {@code null} (EDN
 * {@code nil}).
 */
public final class EdnList extends AbstractList<Object> implements RandomAccess {
  private static final EdnList EMPTY = new EdnList(new Object[0]);

  private final Object[] items;

  private EdnList(Object[] items) {
    this.items = items;
  }

  /** A list of the given elements (copied). */
  public static EdnList of(Object... items) {
    return items.length == 0 ? EMPTY : new EdnList(items.clone());
  }

  /** A list of the elements of {@code items}, in iteration order. */
  public static EdnList copyOf(Collection<?> items) {
    if (items instanceof EdnList l) {
      return l;
    }
    return items.isEmpty() ? EMPTY : new EdnList(items.toArray());
  }

  /** Takes ownership of {@code items} without copying; the caller must not keep it. */
  static EdnList wrap(Object[] items) {
    return items.length == 0 ? EMPTY : new EdnList(items);
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }

  @Override
  public String toString() {
    return Edn.write(this);
  }
}
