package io.datahop.db;

import io.datahop.edn.Keyword;
import io.datahop.store.Store;
import io.datahop.store.Stores;
import java.nio.file.Path;
import java.util.Map;

/**
 * Copies, backups and exports of whole databases, with all their history.
 *
 * <pre>{@code
 * Backups.copy("file:/var/lib/app/db", "jdbc:sqlite:/backup/app.db");   // incremental, resumable, verified
 * Backups.exportLog("file:/var/lib/app/db", Path.of("app.log.edn.gz"));  // one EDN map per transaction
 * Backups.importLog(Path.of("app.log.edn.gz"), "file:/tmp/restored");    // same t, instants, entity ids
 * }</pre>
 *
 * <p><b>Copy</b> ({@link #copy(String, String)}) copies the blobs of every commit reachable from
 * any head of the source — commit records and index nodes, byte for byte, under the same content
 * addresses — into another store on any backend, skipping what the destination already holds. It
 * moves the destination's heads (compare-and-set) only once everything they reach is there, so a
 * copy killed at any point leaves each destination head at its old commit or at the new one, and
 * running it again resumes (it skips what is present). A destination that already holds a
 * database is refused unless each of its heads is the source's head or an ancestor of it: then
 * the copy is incremental. It ends by verifying what it copied. The destination is another store
 * and keeps its own {@link io.datahop.store.StoreId}: a {@link DbRef} of the source names the
 * source's store id, so {@link Connection#dbAt} on the copy refuses it ({@code db/wrong-store});
 * its commit address, however, names the same commit in the copy, so {@code new DbRef(copyConn.storeId(),
 * copyConn.uri(), ref.commit(), ref.asOfT(), ref.sinceT(), ref.history())} opens the same value
 * there.
 *
 * <p><b>Export</b> ({@link #exportLog}) writes a branch's transaction log as EDN text, one map per
 * line (gzip when the file name ends in {@code .gz}): a header, then per transaction, in t order,
 * {@code {:t T, :tx TX, :instant #inst "…", :next-ids [USER ATTR], :data [[e a v tx added] …]}}
 * with attributes as entity ids and every datom the transaction asserted or retracted (schema
 * transactions included). <b>Import</b> ({@link #importLog}) rebuilds that history in a store
 * without a database: the same t values, instants and entity ids, so exporting the import gives
 * the same bytes. The format is in {@code docs/database.md}, "Copy, backup and export".
 *
 * <p>Results are EDN-ready maps (keyword keys), as the command line prints them.
 */
public final class Backups {
  private Backups() {}

  /** Told how far a long run is; called from the running thread. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} units (commits for a copy, transactions for export and import). */
    void update(long done, long total);

    /** Reports nothing. */
    Progress NONE = (done, total) -> {};
  }

  /** {@link #copy(String, String, Progress)} without progress reports. */
  public static Map<Keyword, Object> copy(String from, String to) {
    return copy(from, to, Progress.NONE);
  }

  /**
   * Copies every head of the store at {@code from}, with all history, into the store at {@code
   * to} (created when absent). Returns what it copied: {@code :commits}, {@code :copied-blobs},
   * {@code :copied-bytes}, {@code :present-blobs} (skipped: already there), {@code :heads} and
   * {@code :verified}.
   */
  public static Map<Keyword, Object> copy(String from, String to, Progress progress) {
    try (Store src = Stores.open(from, false);
        Store dst = Stores.open(to, true)) {
      return copy(src, dst, progress);
    }
  }

  /** {@link #copy(String, String, Progress)} between two open stores (left open). */
  public static Map<Keyword, Object> copy(Store from, Store to, Progress progress) {
    return new StoreCopy(from, to, progress).run();
  }

  /** {@link #exportLog(String, String, Path, Progress)} of branch {@code main}, without progress. */
  public static Map<Keyword, Object> exportLog(String uri, Path file) {
    return exportLog(uri, "main", file, Progress.NONE);
  }

  /**
   * Writes the transaction log of {@code branch} of the database at {@code uri} to {@code file}
   * (replaced; gzip when its name ends in {@code .gz}). Returns {@code :transactions}, {@code
   * :datoms}, {@code :basis-t} and {@code :file}.
   */
  public static Map<Keyword, Object> exportLog(String uri, String branch, Path file, Progress progress) {
    try (Connection conn = Databases.connect(uri, branch)) {
      return LogExport.export((ConnectionImpl) conn, file, progress);
    }
  }

  /** {@link #importLog(Path, String, Progress)} without progress reports. */
  public static Map<Keyword, Object> importLog(Path file, String uri) {
    return importLog(file, uri, Progress.NONE);
  }

  /**
   * Creates a database at {@code uri} (branch {@code main}; there must be none) with the
   * exported database's settings and replays every transaction of {@code file} into it. The
   * branch head moves once, at the end: a file refused halfway (an {@code import/…} error naming
   * the line and t) leaves no database behind. Returns {@code :transactions}, {@code :datoms} and
   * {@code :basis-t}.
   */
  public static Map<Keyword, Object> importLog(Path file, String uri, Progress progress) {
    return LogImport.run(file, uri, progress);
  }
}
