package io.datahop.store.jdbc;

import io.datahop.db.GcBesideWritersContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** gc beside live writers on a SQLite store. */
class SqliteGcBesideWritersTest extends GcBesideWritersContract {
  @TempDir Path dir;

  @Override
  protected String newUri() {
    return "jdbc:sqlite:" + dir.resolve("gc.db");
  }

  @Override
  protected int transactionsPerWriter() {
    return 60; // each commit is a synchronous SQLite transaction
  }
}
