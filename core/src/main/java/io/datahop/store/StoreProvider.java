package io.datahop.store;

import java.util.Optional;

/**
 * Opens stores for one family of URIs ({@code mem:}, {@code file:}, {@code jdbc:…}). Backends
 * outside core (the {@code jdbc} module) register through {@link java.util.ServiceLoader} with a
 * {@code META-INF/services/io.datahop.store.StoreProvider} entry.
 */
public interface StoreProvider {
  /** True when this provider handles {@code uri}. */
  boolean accepts(String uri);

  /** Opens the store at {@code uri}, creating it when {@code create} is true and it is absent. */
  Store open(String uri, boolean create);

  /** The store at {@code uri} exists (has a store id). */
  boolean exists(String uri);

  /** Deletes the whole store at {@code uri}; a missing store is a no-op. */
  void delete(String uri);

  /** Describes the URI forms handled, for error messages ("file:/path/to/dir"). */
  String describe();

  /** Optional: a canonical form of the URI so two spellings of one store are one registry key. */
  default Optional<String> canonical(String uri) {
    return Optional.empty();
  }
}
