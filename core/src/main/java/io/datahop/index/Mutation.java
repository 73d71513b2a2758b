package io.datahop.index;

import java.util.Comparator;

/**
 * Insert and remove on a tree of nodes, copy-on-write: a node not owned by {@link #edit} is
 * copied before it changes, so every tree that shares it keeps its value; a node owned by the edit
 * (created by this operation, or by the same {@link Transient}) changes in place.
 *
 * <p>Leaves hold {@code [size/2, size]} keys and branches {@code [size/2, size]} children, except
 * the root (a leaf with any count, or a branch with at least two children). An insert into a full
 * node splits it in two halves; a remove that leaves a node under half full borrows from a
 * neighbour or merges with it, so every leaf stays at the same depth.
 *
 * <p>One instance serves one operation (or one transient); it is not thread-safe.
 */
final class Mutation {
  private final IndexStorage<?> storage;
  private final Comparator<Object> cmp;
  private final int size;
  private final int min;
  final Edit edit;

  /** The right half when the last insert split the node it returned. */
  private Node right;

  Mutation(IndexStorage<?> storage, Comparator<Object> cmp, Edit edit) {
    this.storage = storage;
    this.cmp = cmp;
    this.size = storage.nodeSize();
    this.min = size / 2;
    this.edit = edit;
  }

  Node resolve(Object rootOrAddress) {
    return rootOrAddress instanceof Node n ? n : storage.load((io.datahop.store.Address) rootOrAddress);
  }

  private Node child(Branch b, int i) {
    return resolve(b.slot(i));
  }

  private int capacity(int needed) {
    return edit.batch ? size + 1 : needed;
  }

  /** The new root after inserting {@code key}, or null when the key was already present. */
  Node insert(Node root, Object key) {
    Node n = insertInto(root, key);
    if (n == null) {
      return null;
    }
    Node r = right;
    if (r != null) {
      right = null;
      Node[] pair = {n, r};
      return Branch.of(pair, 0, 2, edit, capacity(2));
    }
    return n;
  }

  private Node insertInto(Node node, Object key) {
    if (node instanceof Leaf leaf) {
      int len = leaf.len();
      int i;
      if (len > 0 && cmp.compare(leaf.key(len - 1), key) < 0) {
        i = len; // an append (new entity ids, new transactions): no search
      } else {
        i = leaf.search(key, cmp);
        if (i >= 0) {
          return null;
        }
        i = -i - 1;
      }
      if (len < size) {
        return leaf.withInsert(i, key, edit, capacity(len + 1));
      }
      Leaf grown = leaf.withInsert(i, key, new Edit(false), len + 1);
      int half = (len + 1) / 2;
      right = Leaf.slice(grown, grown, half, len + 1, edit, capacity(len + 1 - half));
      return Leaf.slice(grown, grown, 0, half, edit, capacity(half));
    }
    Branch b = (Branch) node;
    int i =
        cmp.compare(b.maxKey(), key) < 0 ? b.len() - 1 : b.lowerBound(key, cmp, false);
    Node nc = insertInto(child(b, i), key);
    if (nc == null) {
      return null;
    }
    Node r = right;
    right = null;
    int len = b.len();
    Branch e = b.editable(edit, capacity(r == null ? len : len + 1));
    e.set(i, nc);
    if (r == null) {
      return e;
    }
    if (len < size) {
      e.insertAt(i + 1, r);
      return e;
    }
    // full: grow a private copy by one, then cut it in halves
    Branch grown = e.editable(new Edit(false), len + 1);
    grown.insertAt(i + 1, r);
    int half = (len + 1) / 2;
    right = Branch.slice(grown, grown, half, len + 1, edit, capacity(len + 1 - half));
    return Branch.slice(grown, grown, 0, half, edit, capacity(half));
  }

  /** The new root after removing {@code key}, or null when the key was absent. */
  Node remove(Node root, Object key) {
    Node n = removeFrom(root, key);
    if (n == null) {
      return null;
    }
    while (n instanceof Branch b && b.len() == 1) {
      n = child(b, 0);
    }
    return n;
  }

  private Node removeFrom(Node node, Object key) {
    if (node instanceof Leaf leaf) {
      int i = leaf.search(key, cmp);
      return i < 0 ? null : leaf.withRemove(i, edit);
    }
    Branch b = (Branch) node;
    int i = b.lowerBound(key, cmp, false);
    if (i == b.len()) {
      return null;
    }
    Node nc = removeFrom(child(b, i), key);
    if (nc == null) {
      return null;
    }
    Branch e = b.editable(edit, capacity(b.len()));
    if (nc.len() >= min || e.len() == 1) {
      e.set(i, nc);
      return e;
    }
    int j = i > 0 ? i - 1 : i + 1;
    int lo = Math.min(i, j);
    Node left = lo == i ? nc : child(e, j);
    Node right = lo == i ? child(e, j) : nc;
    int total = left.len() + right.len();
    if (total <= size) {
      e.set(lo, concat(left, right, 0, total));
      e.removeAt(lo + 1);
    } else {
      int half = total / 2;
      e.set(lo, concat(left, right, 0, half));
      e.set(lo + 1, concat(left, right, half, total));
    }
    return e;
  }

  private Node concat(Node a, Node b, int from, int to) {
    if (a instanceof Leaf la) {
      return Leaf.slice(la, (Leaf) b, from, to, edit, capacity(to - from));
    }
    return Branch.slice((Branch) a, (Branch) b, from, to, edit, capacity(to - from));
  }
}
