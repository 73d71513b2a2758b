package io.datahop.db;

import io.datahop.index.BTree;
import io.datahop.index.IndexStorage;
import io.datahop.store.Address;
import io.datahop.store.Store;

/**
 * What the indices of one store share: the store and its node storage (one node cache per
 * store, shared by every Db value of that store).
 */
final class IndexContext {
  private final Store store;
  private final IndexStorage<Datom> storage;
  /** For overlay trees: never stored, so small nodes make each copy-on-write cheap. */
  private final IndexStorage<Datom> overlayStorage;
  /** The functions tx-data and schema of this store's databases may name, in this process. */
  private final Functions functions = new Functions();

  IndexContext(Store store) {
    this.store = store;
    this.storage = IndexStorage.of(store, DatomCodec.INSTANCE);
    this.overlayStorage = IndexStorage.builder(store).nodeSize(Integer.getInteger("datahop.overlay.nodeSize", 64)).cacheBytes(0).build(DatomCodec.INSTANCE);
  }

  Store store() {
    return store;
  }

  Functions functions() {
    return functions;
  }

  IndexStorage<Datom> storage() {
    return storage;
  }

  LayeredIndex empty(IndexType type) {
    return LayeredIndex.of(BTree.empty(storage, DatomOrder.of(type)), overlayStorage);
  }

  LayeredIndex load(IndexType type, Address root) {
    return root == null ? empty(type) : LayeredIndex.of(BTree.load(storage, DatomOrder.of(type), root), overlayStorage);
  }

  Indexes emptyIndexes() {
    return new Indexes(empty(IndexType.EAVT), empty(IndexType.AEVT), empty(IndexType.AVET), empty(IndexType.VAET));
  }

  Indexes loadIndexes(Address[] roots, int offset) {
    return new Indexes(
        load(IndexType.EAVT, roots[offset]),
        load(IndexType.AEVT, roots[offset + 1]),
        load(IndexType.AVET, roots[offset + 2]),
        load(IndexType.VAET, roots[offset + 3]));
  }
}
