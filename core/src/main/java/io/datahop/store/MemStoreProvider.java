package io.datahop.store;

import io.datahop.DatahopException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@code mem:NAME} stores. The named stores of this process live in one map, so every open
 * of {@code mem:x} shares one store until it is deleted; that map is the only process-wide state
 * of the store layer, and it exists because two in-process "peers" must see one store by name.
 */
final class MemStoreProvider implements StoreProvider {
  private static final String PREFIX = "mem:";
  private static final Map<String, MemStore.State> STORES = new ConcurrentHashMap<>();

  @Override
  public boolean accepts(String uri) {
    return uri.startsWith(PREFIX);
  }

  @Override
  public Store open(String uri, boolean create) {
    String name = name(uri);
    MemStore.State state = create ? STORES.computeIfAbsent(name, n -> new MemStore.State()) : STORES.get(name);
    if (state == null) {
      throw StoreErrors.noStore(uri);
    }
    return new MemStore(state, PREFIX + name);
  }

  @Override
  public boolean exists(String uri) {
    return STORES.containsKey(name(uri));
  }

  @Override
  public void delete(String uri) {
    STORES.remove(name(uri));
  }

  @Override
  public String describe() {
    return "mem:NAME (in this process)";
  }

  @Override
  public Optional<String> canonical(String uri) {
    return Optional.of(PREFIX + name(uri));
  }

  private static String name(String uri) {
    String name = uri.substring(PREFIX.length());
    if (name.isEmpty()) {
      throw new DatahopException.Incorrect(
          "store/bad-uri", "a memory store URI needs a name, as in mem:test; got '" + uri + "'", Map.of("uri", uri), null);
    }
    return name;
  }
}
