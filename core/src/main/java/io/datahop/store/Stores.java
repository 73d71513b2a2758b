package io.datahop.store;

import io.datahop.DatahopException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens, tests and deletes stores by URI. {@code mem:NAME} and {@code file:/path} are built in;
 * other backends (such as {@code jdbc:postgresql://…} and {@code jdbc:sqlite:…} from the {@code
 * jdbc} module) are found through {@link ServiceLoader} as {@link StoreProvider}s.
 *
 * <pre>{@code
 * try (Store store = Stores.open("file:/var/lib/app/db", true)) {
 *   Address a = store.put(bytes);
 *   store.compareAndSetHead("main", null, a);
 * }
 * }</pre>
 */
public final class Stores {
  private Stores() {}

  /** Opens the store at {@code uri}, creating it when {@code create} is true and it is absent. */
  public static Store open(String uri, boolean create) {
    return provider(uri).open(uri, create);
  }

  /** True when a store exists at {@code uri}. */
  public static boolean exists(String uri) {
    return provider(uri).exists(uri);
  }

  /** Deletes the whole store at {@code uri}; a missing store is a no-op. */
  public static void delete(String uri) {
    provider(uri).delete(uri);
  }

  /** One spelling per store, for registry keys ({@code file:a/../b} and {@code file:b} agree). */
  public static String canonical(String uri) {
    return provider(uri).canonical(uri).orElse(uri);
  }

  /** The provider for {@code uri}, or an {@link DatahopException.Incorrect} listing the forms. */
  public static StoreProvider provider(String uri) {
    if (uri == null) {
      throw new DatahopException.Incorrect("store/bad-uri", "the store URI is null");
    }
    List<StoreProvider> all = providers();
    for (StoreProvider p : all) {
      if (p.accepts(uri)) {
        return p;
      }
    }
    String forms = all.stream().map(StoreProvider::describe).collect(Collectors.joining(", "));
    throw new DatahopException.Incorrect(
        "store/unknown-uri",
        "no store backend accepts '" + uri + "'; accepted forms: " + forms,
        Map.of("uri", uri, "accepted", forms),
        null);
  }

  private static List<StoreProvider> providers() {
    // Loaded on every call (it is cheap next to opening a store) so a provider added to the class
    // path of a long-lived process, or a different context class loader, is still found.
    List<StoreProvider> all = new ArrayList<>(List.of(new MemStoreProvider(), new FileStoreProvider()));
    ServiceLoader.load(StoreProvider.class).forEach(all::add);
    return all;
  }
}
