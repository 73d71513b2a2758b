package io.datahop.db;

import io.datahop.index.IndexStats;

/**
 * Test-only view into a Db's index storage (package-private in main), so cross-process tests can
 * assert how many nodes a query loaded and how deep each index is.
 */
public final class DbProbe {
  private DbProbe() {}

  /** Node traffic of the Db's store in this process (shared by every Db of that store). */
  public static IndexStats stats(Db db) {
    return ((DbImpl) db).snapshot().ctx().storage().stats();
  }

  /** Depth of the current {@code index} tree of {@code db}. */
  public static long depth(Db db, IndexType index) {
    return ((DbImpl) db).snapshot().current().get(index).depthAndNodes()[0];
  }
}
