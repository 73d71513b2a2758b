package io.datahop.examples;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.DbConfig;
import io.datahop.edn.Edn;
import io.datahop.wire.StoreRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * The example's shared database: a file store both processes open (the seed's
 * {@code /tmp/datahop-distributed-test}), with {@code :name} (string) and {@code :age} (long).
 *
 * <p>One connection per process, held here because remote bodies that run in this process need
 * it the way the seed's bodies use its {@code conn} var. Opening registers the store in the
 * process-wide {@link StoreRegistry}, so a {@code Db} of this store arriving from another peer
 * decodes to a working snapshot.
 */
public final class ExampleDb {
  /** Where the seed keeps its database. */
  public static final Path DEFAULT_PATH = Path.of("/tmp/datahop-distributed-test");

  static final String SCHEMA =
      """
      [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :age  :db/valueType :db.type/long   :db/cardinality :db.cardinality/one}]""";

  static final String PEOPLE = "[{:name \"Alice\" :age 30} {:name \"Bob\" :age 25}]";

  private static volatile Connection connection;

  private ExampleDb() {}

  /** The store URI for a database directory. */
  public static String uri(Path path) {
    return "file:" + path.toAbsolutePath();
  }

  /**
   * The server's set-up: deletes whatever is at {@code path}, creates the database (keeping
   * history), adds Alice 30 and Bob 25, and opens this process's connection.
   */
  public static Connection recreate(Path path) {
    return recreate(uri(path));
  }

  /** {@link #recreate(Path)} on any store URI, e.g. {@code jdbc:postgresql://host:port/db?user=u}. */
  public static Connection recreate(String uri) {
    close();
    Databases.delete(uri);
    Databases.create(uri, DbConfig.defaults().withKeepHistory(true));
    Connection conn = open(uri);
    conn.transact(Edn.read(SCHEMA));
    conn.transact(Edn.read(PEOPLE));
    return conn;
  }

  /**
   * The client's set-up: connects to the database the server created and registers the store,
   * so Dbs of it arriving from the server decode. The caller closes it with {@link #release}.
   * Unlike the server's, this connection is not this process's {@link #connection()}: the
   * server's bodies never run here.
   */
  public static Connection connect(Path path) {
    return connect(uri(path));
  }

  /**
   * The server's set-up on a store the user named: opens the database there as it is, or, when
   * there is none, creates it like {@link #recreate(String)}. Never deletes anything: only
   * {@link #recreate} does, and the command line calls it only for the example's own directory
   * or when asked to ({@code --recreate}).
   */
  public static Connection openOrCreate(String uri) {
    close();
    if (Databases.exists(uri)) {
      return open(uri);
    }
    Databases.create(uri, DbConfig.defaults().withKeepHistory(true));
    Connection conn = open(uri);
    conn.transact(Edn.read(SCHEMA));
    conn.transact(Edn.read(PEOPLE));
    return conn;
  }

  /** {@link #connect(Path)} on any store URI the server created the database at. */
  public static Connection connect(String uri) {
    if (!Databases.exists(uri)) {
      throw new DatahopException.NotFound("example/no-database",
          "no database at " + uri + ": start the server first (./datahop server), which creates it",
          Map.of("uri", uri), null);
    }
    Connection conn = Databases.connect(uri);
    StoreRegistry.global().register(conn);
    return conn;
  }

  /** Unregisters and closes a connection from {@link #connect}. */
  public static void release(Connection conn) {
    StoreRegistry.global().unregister(conn);
    conn.close();
  }

  private static synchronized Connection open(String uri) {
    Connection conn = Databases.connect(uri);
    StoreRegistry.global().register(conn);
    connection = conn;
    return conn;
  }

  /** This process's connection; bodies sent by the other peer use it. */
  public static Connection connection() {
    Connection conn = connection;
    if (conn == null) {
      throw new DatahopException.Unavailable("example/not-connected",
          "this process has not opened the example database yet");
    }
    return conn;
  }

  /** Releases this process's connection, if any. */
  public static synchronized void close() {
    Connection conn = connection;
    if (conn != null) {
      StoreRegistry.global().unregister(conn);
      conn.close();
      connection = null;
    }
  }
}
