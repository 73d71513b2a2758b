package io.datahop.index;

/**
 * Ownership token for copy-on-write. A node created by an operation carries that operation's
 * token and may be changed in place by the same operation (or by the same {@link Transient} until
 * {@link Transient#persistent()}); every other node is copied before a change. A persistent
 * operation uses a fresh token that nobody keeps, so its nodes are immutable once it returns.
 */
final class Edit {
  /** Batch (transient) edits give new nodes spare capacity so later inserts need no copy. */
  final boolean batch;

  Edit(boolean batch) {
    this.batch = batch;
  }
}
