package io.datahop.index;

import io.datahop.DatahopException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a tree bottom-up from sorted keys: cut leaves of a target size, then branches over them,
 * level by level. The last node of each level is merged with (or balanced against) its neighbour
 * when it would be under half full, so the result satisfies every invariant insert keeps.
 */
final class BulkBuilder {
  private BulkBuilder() {}

  /** Target fill of built nodes: 7/8, leaving room for inserts before the first split. */
  static int target(int size) {
    return Math.max(size / 2 + 1, size - size / 8);
  }

  static Node build(Iterator<?> keys, Comparator<Object> cmp, int size) {
    int target = Math.min(size, target(size));
    List<Node> level = new ArrayList<>();
    Object[] chunk = new Object[target];
    int n = 0;
    Object prev = null;
    long index = 0;
    while (keys.hasNext()) {
      Object k = keys.next();
      if (k == null) {
        throw new DatahopException.Incorrect(
            "index/null-key", "bulk build input has a null key at index " + index);
      }
      if (prev != null && cmp.compare(prev, k) >= 0) {
        throw new DatahopException.Incorrect(
            "index/unsorted-build-input",
            "bulk build input is not strictly ascending at index " + index + ": " + prev + " then " + k,
            Map.of("index", index),
            null);
      }
      prev = k;
      index++;
      chunk[n++] = k;
      if (n == target) {
        level.add(new Leaf(chunk, n, null));
        chunk = new Object[target];
        n = 0;
      }
    }
    if (n > 0 || level.isEmpty()) {
      level.add(new Leaf(java.util.Arrays.copyOf(chunk, n), n, null));
    }
    return branchesOver(level, target, size);
  }

  /**
   * As {@link #build}, from an array the caller has already checked to be strictly ascending and
   * null-free (checked again only when assertions are on): leaves are cut by array copies, with
   * no per-key call or comparison. Gives the same tree as {@link #build}.
   */
  static Node buildSorted(Object[] keys, Comparator<Object> cmp, int size) {
    assert ascending(keys, cmp) : "bulk build input is not strictly ascending";
    int target = Math.min(size, target(size));
    int n = keys.length;
    List<Node> level = new ArrayList<>(n / target + 1);
    for (int i = 0; i < n; i += target) {
      int len = Math.min(target, n - i);
      level.add(new Leaf(java.util.Arrays.copyOfRange(keys, i, i + len), len, null));
    }
    if (level.isEmpty()) {
      level.add(new Leaf(new Object[0], 0, null));
    }
    return branchesOver(level, target, size);
  }

  private static boolean ascending(Object[] keys, Comparator<Object> cmp) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null || (i > 0 && cmp.compare(keys[i - 1], keys[i]) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** The levels of branches over a level of leaves, up to the root. */
  private static Node branchesOver(List<Node> level, int target, int size) {
    balanceLast(level, size);
    while (level.size() > 1) {
      List<Node> up = new ArrayList<>(level.size() / target + 1);
      Node[] nodes = level.toArray(new Node[0]);
      for (int i = 0; i < nodes.length; i += target) {
        up.add(Branch.of(nodes, i, Math.min(nodes.length, i + target), null, 0));
      }
      balanceLast(up, size);
      level = up;
    }
    return level.get(0);
  }

  /** Makes the last node of a level at least half full by merging or sharing with its neighbour. */
  private static void balanceLast(List<Node> level, int size) {
    int count = level.size();
    if (count < 2) {
      return;
    }
    Node last = level.get(count - 1);
    if (last.len() >= size / 2) {
      return;
    }
    Node prev = level.get(count - 2);
    int total = prev.len() + last.len();
    level.remove(count - 1);
    level.remove(count - 2);
    if (total <= size) {
      level.add(concat(prev, last, 0, total));
    } else {
      int half = total / 2;
      level.add(concat(prev, last, 0, half));
      level.add(concat(prev, last, half, total));
    }
  }

  private static Node concat(Node a, Node b, int from, int to) {
    if (a instanceof Leaf la) {
      return Leaf.slice(la, (Leaf) b, from, to, null, 0);
    }
    return Branch.slice((Branch) a, (Branch) b, from, to, null, 0);
  }
}
