package io.datahop.index;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import java.util.Comparator;
import java.util.Map;

/**
 * The verification walk behind {@link BTree#verify()}: reads every stored node from the store
 * (not the cache, so hashes are checked and damage on disk is seen) and checks the invariants
 * every operation keeps. Fails at the first problem, naming the node.
 */
final class Verifier {
  private final IndexStorage<?> storage;
  private final Comparator<Object> cmp;
  private final int size;
  private long nodes;
  private long leaves;
  private long keys;
  private long bytes;
  private long dirty;

  Verifier(IndexStorage<?> storage, Comparator<Object> cmp) {
    this.storage = storage;
    this.cmp = cmp;
    this.size = storage.nodeSize();
  }

  VerifyReport verify(Object root) {
    Node r = visit(root, null, null, true);
    return new VerifyReport(nodes, leaves, keys, bytes, r.level() + 1, dirty);
  }

  /**
   * Checks the subtree at {@code slot}: every key is {@code > lo} (when lo is not null), and its
   * max key equals {@code max} (when not null).
   */
  private Node visit(Object slot, Object lo, Object max, boolean isRoot) {
    Node n;
    Address a;
    // a stored node is always checked as the store holds it, even when a copy is in memory
    a = slot instanceof Address addr ? addr : ((Node) slot).address();
    if (a != null) {
      n = read(a);
    } else {
      n = (Node) slot;
      dirty++;
    }
    nodes++;
    String where = a == null ? "dirty node" : "node " + a.hex();
    int len = n.len();
    if (len > size) {
      throw damaged(where, "has " + len + " entries, more than the node size " + size, a);
    }
    if (!isRoot && len < size / 2) {
      throw damaged(where, "has " + len + " entries, fewer than half the node size " + size, a);
    }
    if (n instanceof Leaf leaf) {
      leaves++;
      keys += len;
      Object[] k = leaf.keys();
      for (int i = 0; i < len; i++) {
        if (i > 0 && cmp.compare(k[i - 1], k[i]) >= 0) {
          throw damaged(where, "keys out of order at " + i, a);
        }
      }
      checkBounds(where, a, len == 0 ? null : k[0], len == 0 ? null : k[len - 1], lo, max, len);
      return n;
    }
    Branch b = (Branch) n;
    if (isRoot && len < 2) {
      throw damaged(where, "is a root branch with " + len + " child", a);
    }
    checkBounds(where, a, null, b.maxKey(), null, max, len);
    Object prev = lo;
    for (int i = 0; i < len; i++) {
      Object key = b.key(i);
      if (i > 0 && cmp.compare(b.key(i - 1), key) >= 0) {
        throw damaged(where, "child max keys out of order at " + i, a);
      }
      Node child = visit(b.slot(i), prev, key, false);
      if (child.level() != b.level() - 1) {
        throw damaged(where, "child " + i + " has level " + child.level() + ", expected " + (b.level() - 1), a);
      }
      if (child.count() != b.childCount(i)) {
        throw damaged(where, "child " + i + " holds " + child.count() + " keys, branch says " + b.childCount(i), a);
      }
      prev = key;
    }
    return n;
  }

  private void checkBounds(String where, Address a, Object first, Object last, Object lo, Object max, int len) {
    if (len == 0) {
      if (max != null) {
        throw damaged(where, "is an empty non-root leaf", a);
      }
      return;
    }
    if (first != null && lo != null && cmp.compare(first, lo) <= 0) {
      throw damaged(where, "has a key not above its left neighbour's max key", a);
    }
    if (max != null && cmp.compare(last, max) != 0) {
      throw damaged(where, "max key differs from the one its parent holds", a);
    }
  }

  private Node read(Address a) {
    byte[] blob = storage.readBytes(a);
    bytes += blob.length;
    return storage.decode(blob, a);
  }

  private static DatahopException.Fault damaged(String where, String what, Address a) {
    return new DatahopException.Fault(
        "index/damaged-node",
        "tree " + where + " " + what,
        a == null ? Map.of() : Map.of("address", a.hex()),
        null);
  }
}
