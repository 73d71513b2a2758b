/**
 * Persistent (copy-on-write) B+trees whose nodes live in a {@link io.datahop.store.Store}.
 *
 * <p>{@link io.datahop.index.BTree} is the immutable tree value; {@link
 * io.datahop.index.Transient} edits a batch in place; {@link io.datahop.index.IndexStorage} binds a
 * store, a {@link io.datahop.index.KeyCodec} and the one node cache of that store, and counts node
 * traffic ({@link io.datahop.index.IndexStats}). The node format is specified in {@code
 * docs/format.md} ("B+tree nodes"); everything else in the package is package-private.
 *
 * <pre>{@code
 * IndexStorage<Long> storage = IndexStorage.of(store, KeyCodecs.longs());
 * BTree<Long> t = BTree.empty(storage, Comparator.naturalOrder()).insert(3L).insert(1L);
 * Address root = t.flush();                                   // writes dirty nodes only
 * BTree<Long> back = BTree.load(storage, Comparator.naturalOrder(), root); // reads nothing yet
 * for (long k : back.slice(1L, 2L)) { ... }                  // loads root + leaf lazily
 * }</pre>
 */
package io.datahop.index;
