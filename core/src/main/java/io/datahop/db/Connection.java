package io.datahop.db;

import io.datahop.store.Store;
import io.datahop.store.StoreId;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The mutable reference to the newest commit of one branch of a store. {@link #db()} returns
 * an immutable {@link Db}; {@link #transact} returns once the commit is durable. Safe for use
 * by many threads; several processes may write the same store.
 */
public interface Connection extends AutoCloseable {
  /** The newest committed database value (reflecting commits made by other processes). */
  Db db();

  /**
   * Applies {@code txData} (EDN text, a List of maps/vectors, or {@code {:tx-data …}}) and returns
   * once the commit is durable.
   */
  TxReport transact(Object txData);

  /**
   * Queues {@code txData} like {@link #transact} without waiting: the future completes with the
   * report once the commit is durable, or exceptionally with the transaction's error. Transactions
   * queued together are committed together (one store sync), in the order they were queued.
   */
  CompletableFuture<TxReport> transactAsync(Object txData);

  /** Rebuilds the Db a {@link DbRef} points at, in O(1); nothing is read until a query. */
  Db dbAt(DbRef ref);

  /**
   * Calls {@code listener} with every commit of this connection's branch made after this call,
   * exactly once and in t order, whoever made it: this connection, another one in this process,
   * or another process. Listeners run on a thread of their own (one per connection), after the
   * commit is durable; a slow listener delays only later deliveries, never a writer. Commits of
   * other writers are noticed within about 50 ms; a report of one carries its datoms and Dbs but
   * not its tempids (only {@code :db/current-tx}). Closing the result stops the deliveries.
   */
  AutoCloseable listen(Consumer<TxReport> listener);

  /** The transaction log of this branch up to the newest commit (Datomic's {@code (d/log conn)}). */
  Log log();

  /**
   * The functions this database's tx-data and schema may name: transaction functions, attribute
   * predicates and entity predicates. Shared by every connection to this store in this process.
   */
  Functions functions();

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
