package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.Stores;
import java.util.HashMap;
import java.util.Map;

/**
 * The entry point: create, connect to, test and delete databases by store URI ({@code mem:NAME},
 * {@code file:/path}, {@code jdbc:…}).
 *
 * <pre>{@code
 * Databases.create("file:/tmp/people", DbConfig.defaults());
 * try (Connection conn = Databases.connect("file:/tmp/people")) {
 *   conn.transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
 *   conn.transact(List.of(Map.of("name", "Alice")));
 *   Db db = conn.db();
 * }
 * }</pre>
 *
 * <p>Connections to one store in one process share the opened store and its node cache; the
 * store closes when its last connection is released.
 */
public final class Databases {
  private Databases() {}

  private static final class Shared {
    final Store store;
    final Commits commits;
    int refs;

    Shared(Store store) {
      this.store = store;
      this.commits = new Commits(new IndexContext(store));
    }
  }

  private static final Map<String, Shared> OPEN = new HashMap<>();

  /** Creates a database with default settings; see {@link #create(String, DbConfig)}. */
  public static void create(String uri) {
    create(uri, DbConfig.defaults());
  }

  /**
   * Creates the store if needed and the database in it (branch {@code config.branch()}), then
   * transacts {@code config.initialTx()}. A database already there is a {@code db/exists}
   * Conflict.
   */
  public static void create(String uri, DbConfig config) {
    Shared sh = acquire(uri, true);
    try {
      if (sh.store.head(config.branch()).isPresent()) {
        throw new DatahopException.Conflict("db/exists",
            "a database already exists at " + uri + " (branch " + config.branch() + ")",
            Map.of("uri", uri, "branch", config.branch()), null);
      }
      while (true) {
        long gcGeneration = sh.store.gcGeneration();
        Snapshot boot = sh.commits.write(sh.commits.bootstrap(config));
        if (sh.store.compareAndSetHead(config.branch(), null, boot.address(), gcGeneration)) {
          break;
        }
        if (sh.store.head(config.branch()).isPresent()) {
          throw new DatahopException.Conflict("db/exists",
              "another process created the database at " + uri + " first", Map.of("uri", uri), null);
        }
        // a gc sweep ran meanwhile and may have taken the boot commit's blobs: write them again
      }
    } finally {
      release(uri, sh);
    }
    if (config.initialTx() != null) {
      try (Connection c = connect(uri, config.branch())) {
        c.transact(config.initialTx());
      }
    }
  }

  /** True when a database exists at {@code uri} on branch {@code main}. */
  public static boolean exists(String uri) {
    return exists(uri, "main");
  }

  /** True when a database exists at {@code uri} on {@code branch}. */
  public static boolean exists(String uri, String branch) {
    if (!Stores.exists(uri)) return false;
    Shared sh = acquire(uri, false);
    try {
      return sh.store.head(branch).isPresent();
    } finally {
      release(uri, sh);
    }
  }

  /** Deletes the whole store at {@code uri}; fails while this process has it open. */
  public static void delete(String uri) {
    String key = Stores.canonical(uri);
    synchronized (OPEN) {
      if (OPEN.containsKey(key)) {
        throw new DatahopException.Conflict("db/in-use",
            "release every connection to " + uri + " before deleting it", Map.of("uri", uri), null);
      }
    }
    Stores.delete(uri);
  }

  /** Connects to branch {@code main} of the database at {@code uri}. */
  public static Connection connect(String uri) {
    return connect(uri, "main");
  }

  /** Connects to {@code branch} of the database at {@code uri}; a missing one is NotFound. */
  public static Connection connect(String uri, String branch) {
    if (!Stores.exists(uri)) {
      throw new DatahopException.NotFound("db/not-found",
          "no database at " + uri + "; create it first (Databases.create or `datahop create`)",
          Map.of("uri", uri), null);
    }
    Shared sh = acquire(uri, false);
    try {
      Address head = sh.store.head(branch).orElseThrow(() -> new DatahopException.NotFound("db/not-found",
          "the store at " + uri + " has no database on branch " + branch, Map.of("uri", uri, "branch", branch), null));
      Snapshot s = sh.commits.open(head);
      return new ConnectionImpl(sh.store, uri, branch, sh.commits, s, () -> release(uri, sh));
    } catch (RuntimeException e) {
      release(uri, sh);
      throw e;
    }
  }

  /**
   * A connection over {@code store} that only rebuilds the Db values it is given with {@link
   * Connection#dbAt}: {@code db()}, {@code transact} and {@code listen} are {@code db/read-only}
   * Unsupported. For stores without heads or writes, such as one whose blobs are read from
   * another peer. Closing it leaves {@code store} open (the caller owns it).
   */
  public static Connection readOnly(Store store) {
    return new ReadOnlyConnection(java.util.Objects.requireNonNull(store, "store"));
  }

  /** Closes {@code conn}; same as {@link Connection#close()}. */
  public static void release(Connection conn) {
    conn.close();
  }

  /** The entity id of the transaction with basis {@code t}. */
  public static long txEid(long t) {
    return Ids.txEid(t);
  }

  /** The t of a transaction entity id. */
  public static long tOf(long txEid) {
    return Ids.tOf(txEid);
  }

  private static Shared acquire(String uri, boolean create) {
    String key = Stores.canonical(uri);
    synchronized (OPEN) {
      Shared sh = OPEN.get(key);
      if (sh == null) {
        sh = new Shared(Stores.open(uri, create));
        OPEN.put(key, sh);
      }
      sh.refs++;
      return sh;
    }
  }

  private static void release(String uri, Shared sh) {
    String key = Stores.canonical(uri);
    synchronized (OPEN) {
      if (--sh.refs == 0) {
        OPEN.remove(key);
        sh.store.close();
      }
    }
  }
}
