package io.datahop.index;

/**
 * A snapshot of the node traffic of one {@link IndexStorage} (shared by every tree and codec of
 * its store). Counters only grow; subtract two snapshots with {@link #minus} to see what one
 * query or one flush cost.
 *
 * @param nodeLoads nodes read from the store (cache misses)
 * @param cacheHits node lookups answered by the cache
 * @param bytesRead bytes read from the store for node loads
 * @param nodesWritten nodes written to the store by flushes
 * @param bytesWritten bytes written to the store by flushes
 */
public record IndexStats(
    long nodeLoads, long cacheHits, long bytesRead, long nodesWritten, long bytesWritten) {

  /** The counters accumulated since {@code earlier}. */
  public IndexStats minus(IndexStats earlier) {
    return new IndexStats(
        nodeLoads - earlier.nodeLoads,
        cacheHits - earlier.cacheHits,
        bytesRead - earlier.bytesRead,
        nodesWritten - earlier.nodesWritten,
        bytesWritten - earlier.bytesWritten);
  }
}
