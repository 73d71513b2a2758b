package io.datahop.query.exec;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable result tuple over an array it owns. It is equal to any {@link List} with equal
 * elements; its hash is computed once, because every tuple goes through a hash set.
 */
final class Tuple extends AbstractList<Object> implements RandomAccess {
  private final Object[] items;
  private int hash;

  Tuple(Object[] items) {
    this.items = items;
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
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 1;
      for (Object o : items) {
        h = 31 * h + (o == null ? 0 : o.hashCode());
      }
      hash = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof Tuple t) {
      return hashCode() == t.hashCode() && Arrays.equals(items, t.items);
    }
    return super.equals(o);
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }
}
