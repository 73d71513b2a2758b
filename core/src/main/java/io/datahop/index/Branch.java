package io.datahop.index;

import io.datahop.store.Address;
import java.util.Comparator;

/**
 * A node holding children. Per child it keeps the greatest key below it ({@code keys[i]}), the
 * number of keys below it ({@code counts[i]}), and either the child {@link Node} itself (while
 * the child is dirty, or just built) or only its {@link Address} (once stored: the child is then
 * loaded through the node cache when needed, so a tree never pins stored nodes in memory).
 */
final class Branch extends Node {
  private final int level;
  private Object[] keys;
  private Object[] children;
  private long[] counts;
  private int len;
  private long total;

  /**
   * The children's addresses as read from the store ({@code 32 * len} bytes), or null. A decoded
   * branch keeps them raw and makes an {@link Address} only for the slots a reader visits
   * ({@code children[i] == null} until then): decoding a 256-way branch for one seek then costs
   * one array copy, not 256 objects.
   */
  private final byte[] rawAddresses;

  Branch(int level, Object[] keys, Object[] children, long[] counts, int len, Edit edit) {
    this(level, keys, children, counts, len, edit, null);
  }

  Branch(
      int level,
      Object[] keys,
      Object[] children,
      long[] counts,
      int len,
      Edit edit,
      byte[] rawAddresses) {
    super(edit);
    this.level = level;
    this.keys = keys;
    this.children = children;
    this.counts = counts;
    this.len = len;
    this.rawAddresses = rawAddresses;
    long t = 0;
    for (int i = 0; i < len; i++) {
      t += counts[i];
    }
    this.total = t;
  }

  /** A branch over {@code nodes[from, to)}, all of one level. */
  static Branch of(Node[] nodes, int from, int to, Edit e, int capacity) {
    int n = to - from;
    int cap = e != null && e.batch ? Math.max(capacity, n) : n;
    Object[] k = new Object[cap];
    Object[] c = new Object[cap];
    long[] cnt = new long[cap];
    for (int i = 0; i < n; i++) {
      Node node = nodes[from + i];
      k[i] = node.maxKey();
      c[i] = node;
      cnt[i] = node.count();
    }
    return new Branch(nodes[from].level() + 1, k, c, cnt, n, e);
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
    return total;
  }

  @Override
  int level() {
    return level;
  }

  Object key(int i) {
    return keys[i];
  }

  long childCount(int i) {
    return counts[i];
  }

  /** The child slot: a {@link Node} or an {@link Address}. */
  Object slot(int i) {
    Object c = children[i];
    if (c == null) {
      // racing readers may both make the Address: equal values, and Address is immutable
      int at = i * Address.LENGTH;
      c = Address.fromBytes(java.util.Arrays.copyOfRange(rawAddresses, at, at + Address.LENGTH));
      children[i] = c;
    }
    return c;
  }

  /** The child's address; null only while the child is dirty. */
  Address childAddress(int i) {
    Object c = slot(i);
    return c instanceof Address a ? a : ((Node) c).address();
  }

  /** Sum of the counts of children {@code [0, i)}. */
  long countBefore(int i) {
    long s = 0;
    for (int j = 0; j < i; j++) {
      s += counts[j];
    }
    return s;
  }

  /**
   * The first child whose max key is {@code >= key} ({@code > key} when {@code strict}) under
   * {@code cmp}, or {@code len()} when there is none.
   */
  int lowerBound(Object key, Comparator<Object> cmp, boolean strict) {
    return Bounds.lower(keys, len, key, cmp, strict);
  }

  /** An owned copy with room for {@code capacity} children, or this when already owned. */
  Branch editable(Edit e, int capacity) {
    if (ownedBy(e) && capacity <= keys.length) {
      return this;
    }
    int cap = Math.max(capacity, len);
    Object[] k = new Object[cap];
    Object[] c = new Object[cap];
    long[] cnt = new long[cap];
    System.arraycopy(keys, 0, k, 0, len);
    System.arraycopy(counts, 0, cnt, 0, len);
    for (int i = 0; i < len; i++) {
      c[i] = unpin(slot(i));
    }
    return new Branch(level, k, c, cnt, len, e);
  }

  /**
   * A stored child is kept by address only, so the node cache alone decides what stays loaded
   * and a chain of tree versions does not pin every node it ever flushed. (A node with an address
   * is never owned by a live edit: only persistent trees are flushed.)
   */
  static Object unpin(Object child) {
    if (child instanceof Node n && n.address() != null) {
      return n.address();
    }
    return child;
  }

  /** Puts {@code n} in slot {@code i} (owned branches only). */
  void set(int i, Node n) {
    long c = n.count();
    total += c - counts[i];
    keys[i] = n.maxKey();
    children[i] = n;
    counts[i] = c;
  }

  /** Inserts {@code n} at slot {@code i} (owned branches with spare capacity only). */
  void insertAt(int i, Node n) {
    System.arraycopy(keys, i, keys, i + 1, len - i);
    System.arraycopy(children, i, children, i + 1, len - i);
    System.arraycopy(counts, i, counts, i + 1, len - i);
    len++;
    counts[i] = 0;
    set(i, n);
  }

  /** Removes slot {@code i} (owned branches only). */
  void removeAt(int i) {
    total -= counts[i];
    System.arraycopy(keys, i + 1, keys, i, len - i - 1);
    System.arraycopy(children, i + 1, children, i, len - i - 1);
    System.arraycopy(counts, i + 1, counts, i, len - i - 1);
    len--;
    keys[len] = null;
    children[len] = null;
    counts[len] = 0;
  }

  /** A new branch with slots {@code [from, to)} of the concatenation {@code a ++ b}. */
  static Branch slice(Branch a, Branch b, int from, int to, Edit e, int capacity) {
    int n = to - from;
    int cap = e != null && e.batch ? Math.max(capacity, n) : n;
    Object[] k = new Object[cap];
    Object[] c = new Object[cap];
    long[] cnt = new long[cap];
    int j = 0;
    for (int i = from; i < to; i++, j++) {
      Branch src = i < a.len ? a : b;
      int si = i < a.len ? i : i - a.len;
      k[j] = src.keys[si];
      c[j] = unpin(src.slot(si));
      cnt[j] = src.counts[si];
    }
    return new Branch(a.level, k, c, cnt, n, e);
  }
}
