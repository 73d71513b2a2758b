package io.datahop.db;

import java.util.function.Predicate;

/**
 * The values one half of a {@link NewEntities} plan claims for one unique attribute: an
 * add-only hash set with {@code equals}/{@code hashCode} equality (set keys are made by
 * {@code PlanHalf.key}).
 *
 * <p>Implementation notes. Open addressing with linear probing and each key's hash kept beside
 * it: an add is one hash, one or two array probes and no node object, where a {@code HashSet}
 * goes through a {@code HashMap} call, a node allocation (a fresh page every few thousand
 * values of a big import) and a pointer chase — this runs once per unique datom, as C1 code.
 * The table is sized from the expected count so an import whose values are all distinct never
 * rehashes.
 */
final class ClaimSet {
  private Object[] keys;
  private int[] hashes;
  private int size;
  private int shift;

  ClaimSet(int expected) {
    int bits = 4;
    while ((1 << bits) < expected * 2L && bits < 30) bits++;
    alloc(bits);
  }

  private void alloc(int bits) {
    keys = new Object[1 << bits];
    hashes = new int[1 << bits];
    shift = 32 - bits;
  }

  int size() {
    return size;
  }

  /** Adds {@code v}; false when an equal value is already in the set. */
  boolean add(Object v) {
    int h = hash(v);
    Object[] ks = keys;
    int mask = ks.length - 1;
    for (int i = slot(h); ; i = (i + 1) & mask) {
      Object k = ks[i];
      if (k == null) {
        ks[i] = v;
        hashes[i] = h;
        if (++size > (ks.length >> 1) + (ks.length >> 3)) grow(); // keep the load under 5/8
        return true;
      }
      if (hashes[i] == h && (k == v || k.equals(v))) return false;
    }
  }

  /** True when the set holds a value equal to {@code v}, whose {@link #hash} is {@code h}. */
  private boolean contains(Object v, int h) {
    Object[] ks = keys;
    int mask = ks.length - 1;
    for (int i = slot(h); ; i = (i + 1) & mask) {
      Object k = ks[i];
      if (k == null) return false;
      if (hashes[i] == h && (k == v || k.equals(v))) return true;
    }
  }

  /** True when some value of this set is also in {@code other}; probes from the smaller set. */
  boolean intersects(ClaimSet other) {
    if (other.size < size) return other.intersects(this);
    Object[] ks = keys;
    for (int i = 0; i < ks.length; i++) {
      if (ks[i] != null && other.contains(ks[i], hashes[i])) return true;
    }
    return false;
  }

  /** True when {@code test} holds for some value. */
  boolean any(Predicate<Object> test) {
    for (Object k : keys) if (k != null && test.test(k)) return true;
    return false;
  }

  private int slot(int h) {
    return (h * 0x9E3779B9) >>> shift; // Fibonacci hashing: the high bits of the product, well mixed
  }

  private static int hash(Object v) {
    return v instanceof String s ? s.hashCode() : v.hashCode(); // the String call binds statically
  }

  private void grow() {
    Object[] oldKeys = keys;
    int[] oldHashes = hashes;
    alloc(32 - shift + 1);
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] == null) continue;
      int i = slot(oldHashes[j]);
      while (keys[i] != null) i = (i + 1) & mask;
      keys[i] = oldKeys[j];
      hashes[i] = oldHashes[j];
    }
  }
}
