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

  /** Keys the last {@link #insertSorted} added (those not present already). */
  private int inserted;

  /**
   * The new root after inserting the strictly increasing {@code keys[from, to)}, and in {@code
   * count[0]} how many were not present. One walk for the whole run: each node on the way is
   * entered once with the part of the run that falls under it, and the place of the next key is
   * searched from the place of the previous one, so a run of n keys costs far fewer comparisons
   * than n descents from the root (a transaction's datoms, sorted, into an index overlay).
   */
  Node insertSorted(Node root, Object[] keys, int from, int to, int[] count) {
    inserted = 0;
    Node[] pieces = HELPER && root instanceof Branch b && to - from >= PARALLEL_RUN
        ? insertRunSplit(b, keys, from, to)
        : insertRun(root, keys, from, to);
    count[0] = inserted;
    while (pieces.length > 1) {
      Children ch = new Children(pieces.length);
      for (Node piece : pieces) {
        ch.add(piece.maxKey(), piece, piece.count());
      }
      pieces = group(ch, pieces[0].level() + 1);
    }
    return pieces[0];
  }

  /** The node(s) replacing {@code node} once the run is in it: one, or several when it split. */
  private Node[] insertRun(Node node, Object[] keys, int from, int to) {
    if (node instanceof Leaf leaf) {
      int len = leaf.len();
      Object[] merged = new Object[len + (to - from)];
      int n = 0;
      int i = 0;
      int j = from;
      if (len > 0 && cmp.compare(leaf.key(len - 1), keys[from]) < 0) {
        // the whole run goes after the leaf (new entity ids, new transactions): no search
        System.arraycopy(leaf.keys(), 0, merged, 0, len);
        n = len;
        i = len;
      }
      while (i < len && j < to) {
        // the first key of the leaf at or after i that is >= keys[j]; copy the keys before it
        Object key = keys[j];
        int lo = i;
        int hi = len;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (cmp.compare(leaf.key(mid), key) < 0) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        System.arraycopy(leaf.keys(), i, merged, n, lo - i);
        n += lo - i;
        i = lo;
        if (i < len && cmp.compare(leaf.key(i), key) == 0) {
          merged[n++] = leaf.key(i++); // present already
        } else {
          merged[n++] = key;
          inserted++;
        }
        j++;
      }
      if (i < len) {
        System.arraycopy(leaf.keys(), i, merged, n, len - i);
        n += len - i;
      }
      while (j < to) {
        merged[n++] = keys[j++];
        inserted++;
      }
      int pieces = Math.max(1, (n + size - 1) / size);
      Node[] out = new Node[pieces];
      for (int p = 0; p < pieces; p++) {
        int lo = (int) ((long) n * p / pieces);
        int hi = (int) ((long) n * (p + 1) / pieces);
        Object[] k = new Object[edit.batch ? Math.max(size + 1, hi - lo) : hi - lo];
        System.arraycopy(merged, lo, k, 0, hi - lo);
        out[p] = new Leaf(k, hi - lo, edit);
      }
      return out;
    }
    Branch b = (Branch) node;
    Children out = new Children(b.len() + 4);
    branchRun(b, keys, from, to, 0, b.len(), out);
    return group(out, b.level());
  }

  /**
   * Puts the children {@code [childFrom, childTo)} of {@code b} into {@code out}, with the run
   * {@code keys[from, to)} (all of it under those children) inserted.
   */
  private void branchRun(Branch b, Object[] keys, int from, int to, int childFrom, int childTo, Children out) {
    int len = b.len();
    int j = from;
    int i = childFrom;
    while (j < to) {
      // the child of keys[j]: the first whose max key is >= it (the last one for greater keys),
      // searched from the child of the previous key on
      int c = gallop(b, i, keys[j]);
      int end = j + 1;
      if (c < len - 1) {
        Object max = b.key(c);
        while (end < to && cmp.compare(keys[end], max) <= 0) {
          end++;
        }
      } else {
        end = to;
      }
      for (; i < c; i++) {
        out.add(b.key(i), b.slot(i), b.childCount(i));
      }
      for (Node piece : insertRun(child(b, c), keys, j, end)) {
        out.add(piece.maxKey(), piece, piece.count());
      }
      i = c + 1;
      j = end;
    }
    for (; i < childTo; i++) {
      out.add(b.key(i), b.slot(i), b.childCount(i));
    }
  }

  /** Runs at least this long are split between two threads at the root. */
  static final int PARALLEL_RUN = 512;

  /**
   * Takes the second half of a long run at the root while the caller does the first: the halves
   * go under disjoint children, so they share no node, and each half has its own {@code
   * Mutation} (the per-operation state). Runs as a {@link Fork};
   * not on a single core or with {@code -Ddatahop.index.helper=false}.
   */
  private static final boolean HELPER = Fork.PARALLEL && !"false".equals(System.getProperty("datahop.index.helper"));

  /** {@link #insertSorted} with the root's children split between this thread and a helper. */
  private Node[] insertRunSplit(Branch b, Object[] keys, int from, int to) {
    int len = b.len();
    int mid = (from + to) >>> 1;
    int c = gallop(b, 0, keys[mid - 1]);
    // move the split to the first key under a later child than keys[mid - 1]'s
    Object max = b.key(c);
    while (mid < to && c < len - 1 && cmp.compare(keys[mid], max) <= 0) {
      mid++;
    }
    if (c == len - 1 || mid == to) {
      return insertRun(b, keys, from, to);
    }
    int split = mid;
    Mutation other = new Mutation(storage, cmp, edit);
    Children second = new Children(len - c + 4);
    Fork<Void> task = Fork.start(true, () -> {
      other.branchRun(b, keys, split, to, c + 1, len, second);
      return null;
    });
    Children out = new Children(len + 4);
    try {
      branchRun(b, keys, from, split, 0, c + 1, out);
    } finally {
      task.join();
    }
    inserted += other.inserted;
    for (int k = 0; k < second.n; k++) {
      out.add(second.keys[k], second.slots[k], second.counts[k]);
    }
    return group(out, b.level());
  }

  /** The children of a branch being rebuilt: max keys, slots (node or address) and counts. */
  private static final class Children {
    Object[] keys;
    Object[] slots;
    long[] counts;
    int n;

    Children(int capacity) {
      keys = new Object[capacity];
      slots = new Object[capacity];
      counts = new long[capacity];
    }

    void add(Object key, Object slot, long count) {
      if (n == keys.length) {
        keys = java.util.Arrays.copyOf(keys, n * 2);
        slots = java.util.Arrays.copyOf(slots, n * 2);
        counts = java.util.Arrays.copyOf(counts, n * 2);
      }
      keys[n] = key;
      slots[n] = Branch.unpin(slot);
      counts[n] = count;
      n++;
    }
  }

  /**
   * The first child at or after {@code start} whose max key is {@code >= key} (the last child when
   * none is): gallop, then search.
   */
  private int gallop(Branch b, int start, Object key) {
    int len = b.len();
    int lo = start;
    int step = 1;
    int hi = start;
    while (hi < len && cmp.compare(b.key(hi), key) < 0) {
      lo = hi + 1;
      hi = start + step;
      step <<= 1;
    }
    hi = Math.min(hi, len - 1);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cmp.compare(b.key(mid), key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return Math.min(lo, len - 1); // past the last max key: the last child
  }

  /** Branches of {@code level} over the children, as few as the node size allows, of even sizes. */
  private Node[] group(Children ch, int level) {
    int n = ch.n;
    int pieces = Math.max(1, (n + size - 1) / size);
    Node[] out = new Node[pieces];
    for (int p = 0; p < pieces; p++) {
      int lo = (int) ((long) n * p / pieces);
      int hi = (int) ((long) n * (p + 1) / pieces);
      int cap = edit.batch ? Math.max(size + 1, hi - lo) : hi - lo;
      Object[] k = new Object[cap];
      Object[] c = new Object[cap];
      long[] cnt = new long[cap];
      System.arraycopy(ch.keys, lo, k, 0, hi - lo);
      System.arraycopy(ch.slots, lo, c, 0, hi - lo);
      System.arraycopy(ch.counts, lo, cnt, 0, hi - lo);
      out[p] = new Branch(level, k, c, cnt, hi - lo, edit);
    }
    return out;
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
