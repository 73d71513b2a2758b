package io.datahop.store.jdbc;

import io.datahop.store.Store;
import io.datahop.store.StoreProvider;
import java.util.Optional;

/**
 * Opens {@code jdbc:postgresql://…} and {@code jdbc:sqlite:…} stores; registered with {@link
 * java.util.ServiceLoader}, so {@code Stores.open} finds it whenever this module is on the class
 * path.
 */
public final class JdbcStoreProvider implements StoreProvider {
  @Override
  public boolean accepts(String uri) {
    return Dialect.of(uri) != null;
  }

  @Override
  public Store open(String uri, boolean create) {
    return JdbcStore.open(uri, create);
  }

  @Override
  public boolean exists(String uri) {
    return JdbcStore.exists(uri);
  }

  @Override
  public void delete(String uri) {
    JdbcStore.delete(uri);
  }

  @Override
  public String describe() {
    return "jdbc:postgresql://host:port/db?user=NAME, jdbc:sqlite:/path/file.db";
  }

  @Override
  public Optional<String> canonical(String uri) {
    return Optional.of(JdbcStore.redact(uri));
  }
}
