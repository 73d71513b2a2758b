package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.db.TxReport;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Connection that can only rebuild {@link RefOnlyDb}s from DbRefs of its store, counting how
 * often it is asked; stands in for the real database in registry tests until it is on main.
 */
final class RefOnlyConnection implements Connection {
  private final StoreId id;
  private final String uri;
  final AtomicInteger dbAtCalls = new AtomicInteger();
  volatile boolean closed;

  RefOnlyConnection(StoreId id, String uri) {
    this.id = id;
    this.uri = uri;
  }

  @Override
  public StoreId storeId() {
    return id;
  }

  @Override
  public Db dbAt(DbRef ref) {
    if (!ref.storeId().equals(id)) {
      throw new IllegalArgumentException("a DbRef of another store");
    }
    dbAtCalls.incrementAndGet();
    return new RefOnlyDb(ref);
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public Db db() {
    throw new DatahopException.Unsupported("test/ref-only", "no database behind this connection");
  }

  @Override
  public TxReport transact(Object txData) {
    throw new DatahopException.Unsupported("test/ref-only", "no database behind this connection");
  }

  @Override
  public java.util.concurrent.CompletableFuture<TxReport> transactAsync(Object txData) {
    throw new DatahopException.Unsupported("test/ref-only", "no database behind this connection");
  }

  @Override
  public io.datahop.db.Functions functions() {
    throw new DatahopException.Unsupported("test/ref-only", "no database behind this connection");
  }

  @Override
  public io.datahop.db.Log log() {
    throw new DatahopException.Unsupported("test/ref-only", "no database behind this connection");
  }

  @Override
  public AutoCloseable listen(Consumer<TxReport> listener) {
    throw new DatahopException.Unsupported("test/ref-only", "no database behind this connection");
  }

  @Override
  public Store store() {
    throw new DatahopException.Unsupported("test/ref-only", "no store behind this connection");
  }
}
