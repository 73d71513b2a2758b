package io.datahop.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A store in a SQL database: PostgreSQL ({@code jdbc:postgresql://host/db?user=…}) for many
 * machines, SQLite ({@code jdbc:sqlite:/path/file.db}) for one. Three tables: {@code
 * datahop_blobs(address, data)}, {@code datahop_heads(name, address)} and {@code
 * datahop_meta(key, value)} holding the store id and the gc generation (see {@link #sweep}). One database (or PostgreSQL schema, chosen
 * with {@code currentSchema=…}) holds one store.
 *
 * <h2>Why puts are buffered</h2>
 *
 * A put only hashes the blob and keeps it in memory; {@link #compareAndSetHead} writes every
 * pending blob in batches and moves the head in <em>one</em> database transaction. A commit is
 * then one round of batched inserts and one database commit (one WAL flush), instead of a
 * transaction per node. Other processes cannot see the pending blobs, but nothing points at them
 * before the head moves. If the head does not move (another writer won), the blobs are committed
 * anyway: the caller may already hold their addresses in stored tree nodes and reuse them when it
 * retries. A bulk load that puts more than {@link #FLUSH_BYTES} before committing flushes early in
 * a transaction of its own, so memory stays bounded; {@link #close} writes what is left. Like every
 * store, only a successful compare-and-set promises durability: a process that dies between put
 * and commit loses its buffered blobs, which no head could name yet.
 *
 * <p>Heads move by {@code UPDATE … WHERE name = ? AND address = ?} or, for a new head, {@code
 * INSERT … ON CONFLICT DO NOTHING}; the row count says whether the compare-and-set won. Both are
 * atomic in PostgreSQL at READ COMMITTED and in SQLite, which serializes writers.
 */
public final class JdbcStore implements Store {
  /** Pending bytes that trigger an early flush of buffered puts. */
  static final long FLUSH_BYTES = 8L << 20;

  private static final int BATCH = 256;

  private final HikariDataSource pool;
  private final String locator;
  private final StoreId id;
  private final Map<Address, byte[]> pending = new ConcurrentHashMap<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final Object flushLock = new Object();
  private final Dialect dialect;
  /** The newest gc generation seen here; read again inside every compare-and-set. */
  private volatile long gcGeneration;

  private JdbcStore(HikariDataSource pool, String locator, StoreId id, Dialect dialect, long gcGeneration) {
    this.pool = pool;
    this.locator = locator;
    this.id = id;
    this.dialect = dialect;
    this.gcGeneration = gcGeneration;
  }

  /**
   * Opens the store at the JDBC {@code url}, creating its tables and id when {@code create} is
   * true and they are absent.
   */
  public static JdbcStore open(String url, boolean create) {
    Dialect dialect = dialect(url);
    String locator = redact(url);
    if (dialect == Dialect.SQLITE && !create && !sqliteFileExists(url)) {
      throw noStore(locator);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("datahop " + locator);
    config.setMaximumPoolSize(dialect == Dialect.SQLITE ? 4 : 8);
    config.setMinimumIdle(1);
    config.setAutoCommit(true);
    dialect.connectionProperties.forEach(config::addDataSourceProperty);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new DatahopException.Unavailable(
          "store/unavailable", "cannot connect to store " + locator + ": " + e.getMessage(), Map.of("store", locator), e);
    }
    try {
      StoreId id = create ? createSchema(pool, dialect) : readId(pool).orElseThrow(() -> noStore(locator));
      return new JdbcStore(pool, locator, id, dialect, initGcGeneration(pool));
    } catch (SQLException e) {
      pool.close();
      throw error(locator, "opening", e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** True when the database at {@code url} holds a store. */
  public static boolean exists(String url) {
    Dialect dialect = dialect(url);
    if (dialect == Dialect.SQLITE && !sqliteFileExists(url)) {
      return false;
    }
    try (Connection c = java.sql.DriverManager.getConnection(url)) {
      return readId(c).isPresent();
    } catch (SQLException e) {
      throw error(redact(url), "looking for a store", e);
    }
  }

  /** Drops the store's tables from the database at {@code url}; a missing store is a no-op. */
  public static void delete(String url) {
    Dialect dialect = dialect(url);
    if (dialect == Dialect.SQLITE && !sqliteFileExists(url)) {
      return;
    }
    try (Connection c = java.sql.DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String drop : Dialect.DROP) {
        s.execute(drop);
      }
    } catch (SQLException e) {
      throw error(redact(url), "deleting the store", e);
    }
  }

  /** The pool, for tests that reach behind the store (to damage a blob). */
  DataSource dataSource() {
    return pool;
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public String locator() {
    return locator;
  }

  @Override
  public Address put(byte[] blob) {
    checkOpen();
    Address address = Address.of(blob);
    if (pending.putIfAbsent(address, blob) == null && pendingBytes.addAndGet(blob.length) > FLUSH_BYTES) {
      writePending();
    }
    return address;
  }

  /** Writes the buffered blobs in a transaction of their own. */
  private void writePending() {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Address, byte[]> written = flush(c);
        c.commit();
        forget(written);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw error(locator, "writing blobs", e);
    }
  }

  @Override
  public byte[] get(Address address) {
    checkOpen();
    byte[] blob = pending.get(address);
    if (blob == null) {
      try (Connection c = pool.getConnection();
          PreparedStatement s = c.prepareStatement(Dialect.SELECT_BLOB)) {
        s.setBytes(1, address.toBytes());
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            throw new DatahopException.NotFound(
                "store/missing-blob",
                "no blob " + address + " in store " + locator,
                Map.of("address", address.hex(), "store", locator),
                null);
          }
          blob = r.getBytes(1);
        }
      } catch (SQLException e) {
        throw error(locator, "reading blob " + address, e);
      }
    } else {
      blob = blob.clone();
    }
    if (!address.matches(blob)) {
      throw new DatahopException.Fault(
          "store/damaged-blob",
          "blob " + address + " in store " + locator + " is damaged: its bytes do not hash to its address",
          Map.of("address", address.hex(), "store", locator),
          null);
    }
    return blob;
  }

  @Override
  public boolean contains(Address address) {
    checkOpen();
    if (pending.containsKey(address)) {
      return true;
    }
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(Dialect.CONTAINS_BLOB)) {
      s.setBytes(1, address.toBytes());
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    } catch (SQLException e) {
      throw error(locator, "looking for blob " + address, e);
    }
  }

  @Override
  public Optional<Address> head(String name) {
    checkHeadName(name);
    checkOpen();
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(Dialect.SELECT_HEAD)) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(Address.fromBytes(r.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw error(locator, "reading head '" + name + "'", e);
    }
  }

  @Override
  public boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration) {
    checkHeadName(name);
    if (next == null) {
      throw new DatahopException.Incorrect("store/bad-head", "the new head of '" + name + "' is null");
    }
    checkOpen();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        // first: holds the generation row (shared) until the commit, so no sweep runs meanwhile
        long now = readGcGeneration(c, dialect.forShare);
        this.gcGeneration = now;
        Map<Address, byte[]> written = flush(c);
        boolean moved = (gcGeneration == ANY_GC_GENERATION || now == gcGeneration) && moveHead(c, name, expected, next);
        // committed even when the head did not move: see the class comment
        c.commit();
        forget(written);
        return moved;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw error(locator, "setting head '" + name + "'", e);
    }
  }

  private static boolean moveHead(Connection c, String name, Address expected, Address next) throws SQLException {
    if (expected == null) {
      try (PreparedStatement s = c.prepareStatement(Dialect.INSERT_HEAD)) {
        s.setString(1, name);
        s.setBytes(2, next.toBytes());
        return s.executeUpdate() == 1;
      }
    }
    try (PreparedStatement s = c.prepareStatement(Dialect.MOVE_HEAD)) {
      s.setBytes(1, next.toBytes());
      s.setString(2, name);
      s.setBytes(3, expected.toBytes());
      return s.executeUpdate() == 1;
    }
  }

  @Override
  public long gcGeneration() {
    return gcGeneration;
  }

  /**
   * One database transaction: the generation row locked for update (PostgreSQL; SQLite's write
   * lock serializes anyway), the heads read, the plan's rows deleted in batches and the
   * generation advanced. Blobs of the plan still buffered here are dropped after that commit and
   * before the generation seen here moves on, so a commit that starts meanwhile reads the old
   * generation, fails its compare-and-set and puts them again.
   */
  @Override
  public long sweep(Function<Map<String, Address>, Collection<Address>> plan) {
    checkOpen();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        long generation = readGcGeneration(c, dialect.forUpdate);
        Map<String, Address> heads = new TreeMap<>();
        try (Statement s = c.createStatement();
            ResultSet r = s.executeQuery(Dialect.HEADS_AND_ADDRESSES)) {
          while (r.next()) {
            heads.put(r.getString(1), Address.fromBytes(r.getBytes(2)));
          }
        }
        Set<Address> doomed = new TreeSet<>(plan.apply(Map.copyOf(heads)));
        Set<Address> gone = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(Dialect.DELETE_BLOB)) {
          List<Address> batch = new ArrayList<>(BATCH);
          for (Address a : doomed) {
            s.setBytes(1, a.toBytes());
            s.addBatch();
            batch.add(a);
            if (batch.size() == BATCH) {
              deletedRows(s.executeBatch(), batch, gone);
            }
          }
          if (!batch.isEmpty()) {
            deletedRows(s.executeBatch(), batch, gone);
          }
        }
        for (Address a : doomed) {
          if (pending.containsKey(a)) gone.add(a);
        }
        if (gone.isEmpty()) {
          c.commit();
          return 0;
        }
        try (PreparedStatement s = c.prepareStatement(Dialect.SET_GC_GENERATION)) {
          s.setString(1, Long.toString(generation + 1));
          s.executeUpdate();
        }
        c.commit();
        for (Address a : doomed) {
          byte[] removed = pending.remove(a);
          if (removed != null) pendingBytes.addAndGet(-removed.length);
        }
        this.gcGeneration = generation + 1;
        return gone.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw error(locator, "sweeping", e);
    }
  }

  /** Adds to {@code gone} the addresses of {@code batch} whose delete removed a row; clears it. */
  private static void deletedRows(int[] counts, List<Address> batch, Set<Address> gone) {
    for (int i = 0; i < batch.size(); i++) {
      // a driver may answer SUCCESS_NO_INFO (-2) for a batched row: count it as deleted
      if (i >= counts.length || counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO) gone.add(batch.get(i));
    }
    batch.clear();
  }

  private static long readGcGeneration(Connection c, String lock) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(Dialect.SELECT_GC_GENERATION + lock)) {
      return r.next() ? Long.parseLong(r.getString(1)) : 0;
    }
  }

  /**
   * Makes sure the generation row exists (stores made before it had none) and reads it: a
   * compare-and-set locks that row, so it must be there before the first one.
   */
  private static long initGcGeneration(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate(Dialect.INIT_GC_GENERATION);
      }
      return readGcGeneration(c, "");
    }
  }

  @Override
  public Set<String> heads() {
    checkOpen();
    Set<String> names = new TreeSet<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(Dialect.ALL_HEADS)) {
      while (r.next()) {
        names.add(r.getString(1));
      }
      return names;
    } catch (SQLException e) {
      throw error(locator, "listing heads", e);
    }
  }

  @Override
  public void forEachAddress(Consumer<Address> sink) {
    checkOpen();
    Set<Address> buffered = new HashSet<>(pending.keySet());
    buffered.forEach(sink);
    try (Connection c = pool.getConnection()) {
      // PostgreSQL streams a result set only inside a transaction with a fetch size
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(1000);
        try (ResultSet r = s.executeQuery(Dialect.ALL_ADDRESSES)) {
          while (r.next()) {
            Address a = Address.fromBytes(r.getBytes(1));
            if (!buffered.contains(a)) {
              sink.accept(a);
            }
          }
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw error(locator, "listing blobs", e);
    }
  }

  /** Writes the blobs still buffered (an orderly close keeps every put), then closes the pool. */
  @Override
  public void close() {
    if (pool.isClosed()) {
      return;
    }
    try {
      if (!pending.isEmpty()) {
        writePending();
      }
    } finally {
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcStore[" + locator + ", " + id + "]";
  }

  /**
   * Inserts every pending blob on {@code c} (the caller commits) and returns what it wrote. Rows
   * go in address order so that two writers inserting overlapping sets cannot deadlock.
   */
  private Map<Address, byte[]> flush(Connection c) throws SQLException {
    Map<Address, byte[]> batch;
    synchronized (flushLock) {
      batch = new TreeMap<>(pending);
    }
    if (batch.isEmpty()) {
      return batch;
    }
    try (PreparedStatement s = c.prepareStatement(Dialect.INSERT_BLOB)) {
      int n = 0;
      for (Map.Entry<Address, byte[]> e : batch.entrySet()) {
        s.setBytes(1, e.getKey().toBytes());
        s.setBytes(2, e.getValue());
        s.addBatch();
        if (++n % BATCH == 0) {
          s.executeBatch();
        }
      }
      if (n % BATCH != 0) {
        s.executeBatch();
      }
    }
    return batch;
  }

  /** Drops blobs from the buffer once the transaction that wrote them committed. */
  private void forget(Map<Address, byte[]> written) {
    for (Map.Entry<Address, byte[]> e : written.entrySet()) {
      if (pending.remove(e.getKey(), e.getValue())) {
        pendingBytes.addAndGet(-e.getValue().length);
      }
    }
  }

  private void checkOpen() {
    if (pool.isClosed()) {
      throw new DatahopException.Incorrect(
          "store/closed", "store " + locator + " is closed", Map.of("store", locator), null);
    }
  }

  private static StoreId createSchema(DataSource pool, Dialect dialect) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try (Statement s = c.createStatement()) {
        for (String ddl : dialect.createTables) {
          try {
            s.execute(ddl);
          } catch (SQLException e) {
            // PostgreSQL: two processes creating the same table at once; the other one won
            if (!"23505".equals(e.getSQLState())) {
              throw e;
            }
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(Dialect.INSERT_ID)) {
        s.setString(1, StoreId.random().toString());
        s.executeUpdate();
      }
      return readId(c).orElseThrow();
    }
  }

  private static Optional<StoreId> readId(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return readId(c);
    }
  }

  private static Optional<StoreId> readId(Connection c) throws SQLException {
    if (!hasTable(c, "datahop_meta")) {
      return Optional.empty();
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(Dialect.SELECT_ID)) {
      return r.next() ? Optional.of(StoreId.parse(r.getString(1))) : Optional.empty();
    }
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    try (ResultSet r = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
      return r.next();
    }
  }

  static Dialect dialect(String url) {
    Dialect d = url == null ? null : Dialect.of(url);
    if (d == null) {
      throw new DatahopException.Incorrect(
          "store/bad-uri",
          "not a JDBC store URI: '" + url + "' (expected jdbc:postgresql://host:port/db?user=… or jdbc:sqlite:/path/file.db)",
          Map.of("uri", String.valueOf(url)),
          null);
    }
    if (d == Dialect.SQLITE && sqlitePath(url).isEmpty()) {
      throw new DatahopException.Incorrect(
          "store/bad-uri",
          "a SQLite store needs a file, as in jdbc:sqlite:/path/file.db; got '" + url + "' (use mem:NAME for memory)",
          Map.of("uri", url),
          null);
    }
    return d;
  }

  /** The database file of a SQLite URL, without query parameters; empty for in-memory ones. */
  static String sqlitePath(String url) {
    String rest = url.substring(Dialect.SQLITE.prefix.length());
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    return rest.isEmpty() || rest.equals(":memory:") || rest.contains("mode=memory") ? "" : rest;
  }

  private static boolean sqliteFileExists(String url) {
    return Files.exists(java.nio.file.Path.of(sqlitePath(url)));
  }

  /** The URL without its password, for messages and registry keys. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static DatahopException.NotFound noStore(String locator) {
    return new DatahopException.NotFound(
        "store/not-found",
        "no store at " + locator + " (open it with create=true to make one)",
        Map.of("store", locator),
        null);
  }

  private static DatahopException error(String locator, String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    Map<String, Object> context = Map.of("store", locator, "sqlState", state);
    if (state.startsWith("08") || e instanceof java.sql.SQLTransientConnectionException) {
      return new DatahopException.Unavailable(
          "store/unavailable", what + " in store " + locator + " failed: " + e.getMessage(), context, e);
    }
    return new DatahopException.Fault("store/io", what + " in store " + locator + " failed: " + e.getMessage(), context, e);
  }

  private static void checkHeadName(String name) {
    if (name == null || name.isEmpty() || name.length() > 1000 || name.chars().anyMatch(Character::isISOControl)) {
      throw new DatahopException.Incorrect(
          "store/bad-head",
          "a head name is 1 to 1000 characters without control characters, got "
              + (name == null ? "null" : "'" + name + "'"),
          null,
          null);
    }
  }
}
