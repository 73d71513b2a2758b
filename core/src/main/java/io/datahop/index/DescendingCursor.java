package io.datahop.index;

import io.datahop.store.Address;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates keys downward from an inclusive upper bound to an inclusive lower bound; the mirror of
 * {@link AscendingCursor}.
 */
final class DescendingCursor<K> implements Iterator<K> {
  private final IndexStorage<?> storage;
  private final Comparator<Object> cmp;
  private final Object to;
  private final Branch[] stack;
  private final int[] idx;
  private final int top;
  private Object[] keys;
  /** Next key to return is {@code keys[pos]}, while {@code pos >= stop}. */
  private int pos;
  private int stop;
  private boolean last;

  DescendingCursor(
      IndexStorage<?> storage, Node root, Object from, Object to, Comparator<Object> cmp) {
    this.storage = storage;
    this.cmp = cmp;
    this.to = to;
    this.top = root.level();
    this.stack = new Branch[top + 1];
    this.idx = new int[top + 1];
    Node n = root;
    while (n instanceof Branch b) {
      int i = from == null ? b.len() - 1 : Math.min(b.lowerBound(from, cmp, true), b.len() - 1);
      stack[b.level()] = b;
      idx[b.level()] = i;
      n = resolve(b.slot(i));
    }
    Leaf leaf = (Leaf) n;
    enter(leaf);
    if (from != null) {
      pos = Bounds.lower(leaf.keys(), leaf.len(), from, cmp, true) - 1;
    }
    if (pos < stop) {
      prevLeaf();
    }
  }

  private Node resolve(Object slot) {
    return slot instanceof Node n ? n : storage.load((Address) slot);
  }

  private void enter(Leaf leaf) {
    keys = leaf.keys();
    int len = leaf.len();
    pos = len - 1;
    if (to == null || len == 0 || cmp.compare(keys[0], to) >= 0) {
      stop = 0;
    } else {
      stop = Bounds.lower(keys, len, to, cmp, false);
      last = true;
    }
  }

  private boolean prevLeaf() {
    if (last) {
      return false;
    }
    int level = 1;
    while (level <= top && idx[level] == 0) {
      level++;
    }
    if (level > top) {
      last = true;
      pos = stop - 1;
      return false;
    }
    idx[level]--;
    Node n = resolve(stack[level].slot(idx[level]));
    while (n instanceof Branch b) {
      stack[b.level()] = b;
      idx[b.level()] = b.len() - 1;
      n = resolve(b.slot(b.len() - 1));
    }
    enter((Leaf) n);
    return pos >= stop;
  }

  @Override
  public boolean hasNext() {
    return pos >= stop || prevLeaf();
  }

  @Override
  @SuppressWarnings("unchecked")
  public K next() {
    if (pos < stop && !prevLeaf()) {
      throw new NoSuchElementException();
    }
    return (K) keys[pos--];
  }
}
