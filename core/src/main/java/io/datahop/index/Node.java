package io.datahop.index;

import io.datahop.store.Address;

/**
 * A tree node: a {@link Leaf} of keys or a {@link Branch} of children. See {@link BTree} for the
 * node states. Keys are held as {@code Object} so one node class serves every key type; the tree
 * casts at its public boundary.
 */
abstract sealed class Node permits Leaf, Branch {
  /** The operation that owns this node and may change it in place; null when decoded. */
  final Edit edit;

  /**
   * Set once when the node is stored; null while dirty. Racing flushes of a shared node compute
   * the same address (content addressing), so the plain field is safe: a reader that sees null
   * merely encodes again and gets the same answer. {@link Address} is immutable with final fields.
   */
  private Address address;

  /** The codec that decoded or encoded this node, so a shared cache never mixes key types. */
  private Object codecTag;

  /** Estimated heap bytes, the node's weight in the cache; set when stored or loaded. */
  private int weight;

  Node(Edit edit) {
    this.edit = edit;
  }

  final boolean ownedBy(Edit e) {
    return e != null && edit == e;
  }

  final Address address() {
    return address;
  }

  final Object codecTag() {
    return codecTag;
  }

  final int weight() {
    return weight;
  }

  final void stored(Address address, Object codecTag, long weight) {
    this.codecTag = codecTag;
    this.weight = (int) Math.min(Integer.MAX_VALUE, weight);
    this.address = address;
  }

  /** Keys in a leaf, children in a branch. */
  abstract int len();

  /** The greatest key below this node; undefined for an empty leaf. */
  abstract Object maxKey();

  /** Number of keys below this node. */
  abstract long count();

  /** 0 for a leaf, 1 + the children's level for a branch. */
  abstract int level();
}
