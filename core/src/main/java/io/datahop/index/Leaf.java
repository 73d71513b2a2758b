package io.datahop.index;

import java.util.Arrays;
import java.util.Comparator;

/** A node holding keys, sorted and distinct under the tree's comparator. */
final class Leaf extends Node {
  private Object[] keys;
  private int len;

  Leaf(Object[] keys, int len, Edit edit) {
    super(edit);
    this.keys = keys;
    this.len = len;
  }

  static Leaf empty() {
    return new Leaf(new Object[0], 0, null);
  }

  @Override
  int len() {
    return len;
  }

  @Override
  Object maxKey() {
    return keys[len - 1];
  }

  @Override
  long count() {
    return len;
  }

  @Override
  int level() {
    return 0;
  }

  Object key(int i) {
    return keys[i];
  }

  /** The backing array; only {@code [0, len())} is meaningful. Callers never write to it. */
  Object[] keys() {
    return keys;
  }

  /** {@link Arrays#binarySearch} contract over {@code keys[0, len)}. */
  int search(Object key, Comparator<Object> cmp) {
    int lo = 0;
    int hi = len - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = cmp.compare(keys[mid], key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** This leaf with {@code key} inserted at {@code i}; in place when owned by {@code e}. */
  Leaf withInsert(int i, Object key, Edit e, int capacity) {
    if (ownedBy(e) && len < keys.length) {
      System.arraycopy(keys, i, keys, i + 1, len - i);
      keys[i] = key;
      len++;
      return this;
    }
    Object[] k = new Object[e != null && e.batch ? Math.max(capacity, len + 1) : len + 1];
    System.arraycopy(keys, 0, k, 0, i);
    k[i] = key;
    System.arraycopy(keys, i, k, i + 1, len - i);
    return new Leaf(k, len + 1, e);
  }

  /** This leaf without the key at {@code i}; in place when owned by {@code e}. */
  Leaf withRemove(int i, Edit e) {
    if (ownedBy(e)) {
      System.arraycopy(keys, i + 1, keys, i, len - i - 1);
      keys[--len] = null;
      return this;
    }
    Object[] k = new Object[len - 1];
    System.arraycopy(keys, 0, k, 0, i);
    System.arraycopy(keys, i + 1, k, i, len - i - 1);
    return new Leaf(k, len - 1, e);
  }

  /** A new leaf with {@code keys[from, to)} of the concatenation {@code a ++ b}. */
  static Leaf slice(Leaf a, Leaf b, int from, int to, Edit e, int capacity) {
    int n = to - from;
    Object[] k = new Object[e != null && e.batch ? Math.max(capacity, n) : n];
    int j = 0;
    for (int i = from; i < to; i++) {
      k[j++] = i < a.len ? a.keys[i] : b.keys[i - a.len];
    }
    return new Leaf(k, n, e);
  }

  /** Copies {@code keys[0, len)} exactly, for tests and verification. */
  Object[] keysCopy() {
    return Arrays.copyOf(keys, len);
  }
}
