package io.datahop.remote;

/**
 * What a {@link PeerBackedStore} fetched so far. Counters only grow; subtract two snapshots with
 * {@link #minus} to see what one query cost.
 *
 * @param blobsFetched blobs (index nodes and commit records) read from the origin peer
 * @param bytesFetched their total size in bytes (the blobs themselves, without framing)
 */
public record FetchStats(long blobsFetched, long bytesFetched) {
  /** The counters accumulated since {@code earlier}. */
  public FetchStats minus(FetchStats earlier) {
    return new FetchStats(blobsFetched - earlier.blobsFetched, bytesFetched - earlier.bytesFetched);
  }
}
