package io.datahop.db;

import io.datahop.store.Store;
import io.datahop.store.StoreId;
import java.util.function.Consumer;

/**
 * The mutable reference to the newest commit of one branch of a store. {@link #db()} returns
 * an immutable {@link Db}; {@link #transact} returns once the commit is durable. Safe for use
 * by many threads; several processes may write the same store.
 */
public interface Connection extends AutoCloseable {
  /** The newest committed database value (reflecting commits made by other processes). */
  Db db();

  /** Applies {@code txData} (EDN text, a List of maps/vectors, or {@code {:tx-data …}}). */
  TxReport transact(Object txData);

  /** Rebuilds the Db a {@link DbRef} points at, in O(1); nothing is read until a query. */
  Db dbAt(DbRef ref);

  /** Calls {@code listener} after every transaction committed through this connection. */
  AutoCloseable listen(Consumer<TxReport> listener);

  /** The store this connection writes. */
  Store store();

  /** The store's id. */
  default StoreId storeId() {
    return store().id();
  }

  /** The URI this connection was opened with. */
  String uri();

  /** Releases this connection; the store stays as it is. */
  @Override
  void close();
}
