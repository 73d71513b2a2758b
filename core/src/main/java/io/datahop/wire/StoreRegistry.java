package io.datahop.wire;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.store.StoreId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Which stores this process can rebuild a {@link Db} from: a map from {@link StoreId} to an open
 * {@link Connection}. Decoding a {@code db} value looks its store up here and calls {@link
 * Connection#dbAt}, which is O(1) — no index node is read until a query needs it.
 *
 * <p>A store that is not registered is a {@link DatahopException.NotFound} naming the store id,
 * its locator and how to register it. Connecting from the locator is off by default, because the
 * locator comes from the sender: {@link #allowAutoConnect} turns it on for locators that start with
 * one of the given prefixes, using the {@link #connector} function (by default {@link
 * Databases#connect}). Thread-safe.
 */
public final class StoreRegistry {
  private static final StoreRegistry GLOBAL = new StoreRegistry();

  private final ConcurrentHashMap<StoreId, Connection> connections = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<String> autoConnectPrefixes = new CopyOnWriteArrayList<>();
  private volatile Function<String, ? extends Connection> connector = Databases::connect;
  private final CopyOnWriteArrayList<Function<DbRef, Db>> resolvers = new CopyOnWriteArrayList<>();

  /** An empty registry, e.g. one per test or per peer; most code uses {@link #global()}. */
  public StoreRegistry() {}

  /** The process-wide registry the standard codec uses. */
  public static StoreRegistry global() {
    return GLOBAL;
  }

  /** Makes {@code conn}'s store resolvable; replaces an earlier connection to the same store. */
  public StoreRegistry register(Connection conn) {
    Objects.requireNonNull(conn, "conn");
    connections.put(conn.storeId(), conn);
    return this;
  }

  /** Forgets {@code conn} if it is the one registered for its store. */
  public boolean unregister(Connection conn) {
    return connections.remove(conn.storeId(), conn);
  }

  /** Forgets whatever is registered for {@code id}. */
  public Optional<Connection> unregister(StoreId id) {
    return Optional.ofNullable(connections.remove(id));
  }

  /** The connection registered for {@code id}, if any. */
  public Optional<Connection> lookup(StoreId id) {
    return Optional.ofNullable(connections.get(id));
  }

  /**
   * Allows connecting automatically to a store that is not registered when its locator starts
   * with one of {@code prefixes} (e.g. {@code "file:/var/lib/datahop/"}). Locators with a {@code
   * ..} path segment never auto-connect.
   */
  public StoreRegistry allowAutoConnect(String... prefixes) {
    for (String p : prefixes) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("an auto-connect prefix must not be blank");
      }
      autoConnectPrefixes.addIfAbsent(p);
    }
    return this;
  }

  /** The prefixes auto-connect is allowed for. */
  public List<String> autoConnectPrefixes() {
    return List.copyOf(autoConnectPrefixes);
  }

  /** How auto-connect opens a store from its locator (a store URI); default {@link Databases#connect}. */
  public StoreRegistry connector(Function<String, ? extends Connection> connector) {
    this.connector = Objects.requireNonNull(connector, "connector");
    return this;
  }

  /**
   * Adds a resolver of last resort: asked, in the order added, for the Db of a store that is
   * neither registered nor allowed to auto-connect; it returns {@code null} when it cannot help.
   * The remote module uses one to read a store through the peer that sent the ref. Adding the
   * same resolver twice adds it once.
   */
  public StoreRegistry addResolver(Function<DbRef, Db> resolver) {
    resolvers.addIfAbsent(Objects.requireNonNull(resolver, "resolver"));
    return this;
  }

  /** Removes a resolver added with {@link #addResolver}. */
  public boolean removeResolver(Function<DbRef, Db> resolver) {
    return resolvers.remove(resolver);
  }

  /**
   * The Db {@code ref} points at, rebuilt in O(1) on the registered (or auto-connected) store,
   * else by the first {@linkplain #addResolver resolver} that knows it.
   */
  public Db db(DbRef ref) {
    Connection c = connections.get(ref.storeId());
    if (c == null && !autoConnectAllowed(ref.locator())) {
      for (Function<DbRef, Db> r : resolvers) {
        Db db = r.apply(ref);
        if (db != null) {
          return db;
        }
      }
    }
    return connection(ref).dbAt(ref);
  }

  /** The connection for {@code ref}'s store: registered, auto-connected, or NotFound. */
  public Connection connection(DbRef ref) {
    Connection c = connections.get(ref.storeId());
    if (c != null) {
      return c;
    }
    if (autoConnectAllowed(ref.locator())) {
      return autoConnect(ref);
    }
    throw notRegistered(ref);
  }

  private boolean autoConnectAllowed(String locator) {
    if (locator.contains("/../") || locator.endsWith("/..") || locator.contains("\\..")) {
      return false;
    }
    for (String p : autoConnectPrefixes) {
      if (locator.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private synchronized Connection autoConnect(DbRef ref) {
    Connection existing = connections.get(ref.storeId());
    if (existing != null) {
      return existing;
    }
    Function<String, ? extends Connection> f = connector;
    if (f == null) {
      throw new DatahopException.NotFound(
          "wire/unknown-store",
          "store " + ref.storeId() + " (" + ref.locator() + ") is not registered, and auto-connect is allowed for"
              + " it but no connector is set: call StoreRegistry.connector(uri -> ...)",
          context(ref),
          null);
    }
    Connection c = f.apply(ref.locator());
    if (!c.storeId().equals(ref.storeId())) {
      StoreId found = c.storeId();
      c.close();
      Map<String, Object> ctx = context(ref);
      ctx.put("found-store-id", found.toString());
      throw new DatahopException.NotFound(
          "wire/unknown-store",
          "store " + ref.storeId() + " was expected at " + ref.locator() + ", but the store there is " + found,
          ctx,
          null);
    }
    connections.put(c.storeId(), c);
    return c;
  }

  private static DatahopException notRegistered(DbRef ref) {
    return new DatahopException.NotFound(
        "wire/unknown-store",
        "store "
            + ref.storeId()
            + " ("
            + ref.locator()
            + ") is not registered in this process: open a Connection to "
            + ref.locator()
            + " and register it with StoreRegistry.global().register(conn)",
        context(ref),
        null);
  }

  private static Map<String, Object> context(DbRef ref) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("store-id", ref.storeId().toString());
    ctx.put("locator", ref.locator());
    return ctx;
  }
}
