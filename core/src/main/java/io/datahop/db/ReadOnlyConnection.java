package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.store.Store;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A connection that only rebuilds the Db values it is given ({@link #dbAt}), over a store that
 * may have no heads and refuse writes — such as one whose blobs are read from another peer. It
 * has its own node cache (the store's, like any connection's), and no writer thread.
 */
final class ReadOnlyConnection implements Connection {
  private final Store store;
  private final Commits commits;
  private volatile boolean closed;

  ReadOnlyConnection(Store store) {
    this.store = store;
    this.commits = new Commits(new IndexContext(store));
  }

  @Override
  public Db db() {
    throw unsupported("db()", "it has no head to read; use the Db values sent to it");
  }

  @Override
  public TxReport transact(Object txData) {
    throw unsupported("transact", "it is read-only; transact on a connection that can write the store");
  }

  @Override
  public java.util.concurrent.CompletableFuture<TxReport> transactAsync(Object txData) {
    throw unsupported("transactAsync", "it is read-only; transact on a connection that can write the store");
  }

  @Override
  public Functions functions() {
    return commits.ctx().functions();
  }

  @Override
  public Log log() {
    throw unsupported("log()", "it has no head to read; use the Db values sent to it");
  }

  @Override
  public Db dbAt(DbRef ref) {
    if (closed) {
      throw new DatahopException.Unavailable("db/connection-closed", "the read-only connection to " + uri() + " is closed");
    }
    if (!ref.storeId().equals(store.id())) {
      throw new DatahopException.Incorrect("db/wrong-store",
          "DbRef of store " + ref.storeId() + " (" + ref.locator() + ") given to a read-only connection to " + store.id(),
          Map.of("store-id", ref.storeId().toString(), "locator", ref.locator()), null);
    }
    Snapshot s = commits.openRef(ref.commit());
    return new DbImpl(s, ref.asOfT(), ref.sinceT(), ref.history());
  }

  @Override
  public AutoCloseable listen(Consumer<TxReport> listener) {
    throw unsupported("listen", "it never transacts");
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public String uri() {
    return store.locator();
  }

  @Override
  public void close() {
    closed = true;
  }

  private DatahopException unsupported(String what, String why) {
    return new DatahopException.Unsupported("db/read-only",
        what + " is not available on the read-only connection to " + uri() + ": " + why,
        Map.of("store", uri()), null);
  }
}
