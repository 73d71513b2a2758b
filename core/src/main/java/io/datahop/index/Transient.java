package io.datahop.index;

import io.datahop.DatahopException;
import java.util.Comparator;
import java.util.Objects;

/**
 * A batch editor over a {@link BTree}: inserts and removes change the nodes this editor created
 * in place (with spare capacity), so a batch of n changes copies each touched path once instead
 * of n times. The tree it started from is never changed. Call {@link #persistent()} once to get
 * the result; the editor is unusable afterwards. Not thread-safe.
 *
 * @param <K> the key type
 */
public final class Transient<K> {
  private final IndexStorage<K> storage;
  private final Comparator<Object> cmp;
  private final Mutation mutation;
  private Node root;
  private boolean done;

  Transient(IndexStorage<K> storage, Comparator<Object> cmp, Node root) {
    this.storage = storage;
    this.cmp = cmp;
    this.root = root;
    this.mutation = new Mutation(storage, cmp, new Edit(true));
  }

  private void requireLive() {
    if (done) {
      throw new DatahopException.Incorrect(
          "index/transient-used-after-persistent",
          "this Transient was turned into a BTree by persistent(); start a new one");
    }
  }

  /** Adds {@code key}; returns false when it was already present. */
  public boolean insert(K key) {
    requireLive();
    Node n = mutation.insert(root, Objects.requireNonNull(key, "key"));
    if (n == null) {
      return false;
    }
    root = n;
    return true;
  }

  /**
   * Adds {@code keys}, which must be strictly increasing in the tree's order, in one walk of the
   * tree (far fewer comparisons than one {@link #insert} per key); returns how many were not
   * present already.
   */
  public int insertSorted(java.util.List<? extends K> keys) {
    requireLive();
    if (keys.isEmpty()) {
      return 0;
    }
    Object[] run = keys.toArray();
    int[] count = new int[1];
    root = mutation.insertSorted(root, run, 0, run.length, count);
    return count[0];
  }

  /** Removes {@code key}; returns false when it was absent. */
  public boolean remove(K key) {
    requireLive();
    Node n = mutation.remove(root, Objects.requireNonNull(key, "key"));
    if (n == null) {
      return false;
    }
    root = n;
    return true;
  }

  /** Number of keys now. */
  public long count() {
    requireLive();
    return root.count();
  }

  /** True when {@code key} is present now. */
  public boolean contains(K key) {
    requireLive();
    return new BTree<>(storage, cmp, root).contains(key);
  }

  /** The tree holding the edits; ends this editor. */
  public BTree<K> persistent() {
    requireLive();
    done = true;
    return new BTree<>(storage, cmp, root);
  }
}
