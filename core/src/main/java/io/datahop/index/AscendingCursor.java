package io.datahop.index;

import io.datahop.store.Address;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates keys upward from a lower bound to an inclusive upper bound. Keeps the path from the
 * root as two small arrays and, on entering a leaf, finds where the upper bound falls in it by one
 * binary search, so stepping costs an array read and no comparison or allocation per key.
 */
final class AscendingCursor<K> implements Iterator<K> {
  private final IndexStorage<?> storage;
  private final Comparator<Object> cmp;
  private final Object to;
  private final Branch[] stack;
  private final int[] idx;
  private final int top;
  private Object[] keys;
  private int pos;
  private int end;
  private boolean last;

  AscendingCursor(IndexStorage<?> storage, Node root, Object from, Object to, Comparator<Object> cmp) {
    this.storage = storage;
    this.cmp = cmp;
    this.to = to;
    this.top = root.level();
    this.stack = new Branch[top + 1];
    this.idx = new int[top + 1];
    Node n = root;
    while (n instanceof Branch b) {
      int i = from == null ? 0 : b.lowerBound(from, cmp, false);
      if (i == b.len()) {
        last = true;
        return;
      }
      stack[b.level()] = b;
      idx[b.level()] = i;
      n = resolve(b.slot(i));
    }
    Leaf leaf = (Leaf) n;
    enter(leaf);
    if (from != null) {
      pos = Bounds.lower(leaf.keys(), leaf.len(), from, cmp, false);
    }
  }

  private Node resolve(Object slot) {
    return slot instanceof Node n ? n : storage.load((Address) slot);
  }

  private void enter(Leaf leaf) {
    keys = leaf.keys();
    pos = 0;
    int len = leaf.len();
    if (to == null || len == 0 || cmp.compare(keys[len - 1], to) <= 0) {
      end = len;
    } else {
      end = Bounds.lower(keys, len, to, cmp, true);
      last = true;
    }
  }

  private boolean nextLeaf() {
    if (last) {
      return false;
    }
    int level = 1;
    while (level <= top && idx[level] + 1 >= stack[level].len()) {
      level++;
    }
    if (level > top) {
      last = true;
      end = pos;
      return false;
    }
    idx[level]++;
    Node n = resolve(stack[level].slot(idx[level]));
    while (n instanceof Branch b) {
      stack[b.level()] = b;
      idx[b.level()] = 0;
      n = resolve(b.slot(0));
    }
    enter((Leaf) n);
    return pos < end;
  }

  @Override
  public boolean hasNext() {
    return pos < end || nextLeaf();
  }

  @Override
  @SuppressWarnings("unchecked")
  public K next() {
    if (pos >= end && !nextLeaf()) {
      throw new NoSuchElementException();
    }
    return (K) keys[pos++];
  }
}
