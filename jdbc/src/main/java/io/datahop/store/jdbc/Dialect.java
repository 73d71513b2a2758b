package io.datahop.store.jdbc;

import java.util.List;
import java.util.Map;

/**
 * The SQL of one database family. Both speak {@code INSERT … ON CONFLICT DO NOTHING} (SQLite since
 * 3.24), so the statements differ only in types and connection settings.
 */
enum Dialect {
  POSTGRES(
      "jdbc:postgresql:",
      List.of(
          "CREATE TABLE IF NOT EXISTS datahop_meta (key text PRIMARY KEY, value text NOT NULL)",
          "CREATE TABLE IF NOT EXISTS datahop_blobs (address bytea PRIMARY KEY, data bytea NOT NULL)",
          "CREATE TABLE IF NOT EXISTS datahop_heads (name text PRIMARY KEY, address bytea NOT NULL)"),
      // one round trip per batch instead of one per row
      Map.of("reWriteBatchedInserts", "true"),
      // a compare-and-set shares the gc generation row, a sweep takes it: they exclude each other
      " FOR SHARE",
      " FOR UPDATE"),
  SQLITE(
      "jdbc:sqlite:",
      List.of(
          "CREATE TABLE IF NOT EXISTS datahop_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
          "CREATE TABLE IF NOT EXISTS datahop_blobs (address BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID",
          "CREATE TABLE IF NOT EXISTS datahop_heads (name TEXT PRIMARY KEY, address BLOB NOT NULL) WITHOUT ROWID"),
      // WAL: readers never block the writer; FULL: a commit is on the disk when it returns;
      // IMMEDIATE: a write transaction takes the write lock up front, so two writers queue on the
      // busy timeout instead of failing to upgrade a read lock.
      Map.of("journal_mode", "WAL", "synchronous", "FULL", "transaction_mode", "IMMEDIATE", "busy_timeout", "30000"),
      // every transaction takes SQLite's one write lock up front (IMMEDIATE): no row locks needed
      "",
      "");

  static final String INSERT_BLOB = "INSERT INTO datahop_blobs (address, data) VALUES (?, ?) ON CONFLICT DO NOTHING";
  static final String SELECT_BLOB = "SELECT data FROM datahop_blobs WHERE address = ?";
  static final String CONTAINS_BLOB = "SELECT 1 FROM datahop_blobs WHERE address = ?";
  static final String DELETE_BLOB = "DELETE FROM datahop_blobs WHERE address = ?";
  static final String ALL_ADDRESSES = "SELECT address FROM datahop_blobs";
  static final String SELECT_HEAD = "SELECT address FROM datahop_heads WHERE name = ?";
  static final String ALL_HEADS = "SELECT name FROM datahop_heads";
  static final String INSERT_HEAD = "INSERT INTO datahop_heads (name, address) VALUES (?, ?) ON CONFLICT DO NOTHING";
  static final String MOVE_HEAD = "UPDATE datahop_heads SET address = ? WHERE name = ? AND address = ?";
  static final String INSERT_ID = "INSERT INTO datahop_meta (key, value) VALUES ('store-id', ?) ON CONFLICT DO NOTHING";
  static final String SELECT_ID = "SELECT value FROM datahop_meta WHERE key = 'store-id'";
  static final String INIT_GC_GENERATION =
      "INSERT INTO datahop_meta (key, value) VALUES ('gc-generation', '0') ON CONFLICT DO NOTHING";
  static final String SELECT_GC_GENERATION = "SELECT value FROM datahop_meta WHERE key = 'gc-generation'";
  static final String SET_GC_GENERATION = "UPDATE datahop_meta SET value = ? WHERE key = 'gc-generation'";
  static final String HEADS_AND_ADDRESSES = "SELECT name, address FROM datahop_heads";
  static final List<String> DROP =
      List.of("DROP TABLE IF EXISTS datahop_heads", "DROP TABLE IF EXISTS datahop_blobs", "DROP TABLE IF EXISTS datahop_meta");

  final String prefix;
  final List<String> createTables;
  final Map<String, String> connectionProperties;
  /** Appended to {@link #SELECT_GC_GENERATION} by a compare-and-set. */
  final String forShare;
  /** Appended to {@link #SELECT_GC_GENERATION} by a sweep. */
  final String forUpdate;

  Dialect(String prefix, List<String> createTables, Map<String, String> connectionProperties, String forShare,
      String forUpdate) {
    this.prefix = prefix;
    this.createTables = createTables;
    this.connectionProperties = connectionProperties;
    this.forShare = forShare;
    this.forUpdate = forUpdate;
  }

  /** The dialect of {@code url}, or null when neither handles it. */
  static Dialect of(String url) {
    for (Dialect d : values()) {
      if (url.startsWith(d.prefix)) {
        return d;
      }
    }
    return null;
  }
}
