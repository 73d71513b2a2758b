package io.datahop.db;

import io.datahop.index.IndexStats;

/**
 * How much index data a process has read for a store, for benchmarks and tests that show what a
 * query costs ("a point query reads one root-to-leaf path per index").
 *
 * <pre>{@code
 * IndexStats before = NodeTraffic.of(db);
 * db.datoms(IndexType.AVET, Keyword.of("name"), "Alice");
 * long nodes = NodeTraffic.of(db).minus(before).nodeLoads();
 * }</pre>
 */
public final class NodeTraffic {
  private NodeTraffic() {}

  /** The node counters of {@code db}'s store in this process (shared by all its Db values). */
  public static IndexStats of(Db db) {
    return impl(db).snapshot().ctx().storage().stats();
  }

  /** Depth (levels, root to leaf) of the stored tree of the current {@code index} of {@code db}. */
  public static long depth(Db db, IndexType index) {
    return impl(db).snapshot().current().get(index).depthAndNodes()[0];
  }

  private static DbImpl impl(Db db) {
    if (db instanceof DbImpl d) {
      return d;
    }
    throw new IllegalArgumentException("not a datahop Db: " + db.getClass().getName());
  }
}
