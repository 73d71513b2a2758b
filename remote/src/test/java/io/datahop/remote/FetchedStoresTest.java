package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.datahop.DatahopException;
import io.datahop.db.DbRef;
import io.datahop.store.Address;
import io.datahop.store.StoreId;
import org.junit.jupiter.api.Test;

/**
 * A peer that sends Dbs of ever-new store ids cannot make the receiver open a read-through store
 * (and a node cache) for each: the count per sending peer and in all is bounded.
 */
class FetchedStoresTest {
  private static DbRef ref() {
    return new DbRef(StoreId.random(), "mem:elsewhere", Address.of(new byte[] {1}), null, null, false);
  }

  private static String code(Throwable t) {
    return t instanceof DatahopException d ? d.code() : String.valueOf(t);
  }

  @Test
  void storesReadThroughOnePeerAreBounded() {
    // a short deadline: each read of the unconnected stranger fails fast
    try (Peer peer = Peer.builder().id(PeerId.of("receiver")).fetchFromSender(true)
        .defaultDeadline(java.time.Duration.ofMillis(50)).build()) {
      FetchedStores fetched = peer.fetched();
      PeerId stranger = PeerId.of("stranger");
      for (int i = 0; i < FetchedStores.MAX_PER_ORIGIN; i++) {
        // the stranger is not connected: reading fails, but the store was taken on
        assertThat(code(catchThrowable(() -> fetched.db(ref(), stranger)))).isNotEqualTo("remote/too-many-stores");
      }
      assertThat(code(catchThrowable(() -> fetched.db(ref(), stranger)))).isEqualTo("remote/too-many-stores");
      assertThat(peer.fetchedStores()).hasSize(FetchedStores.MAX_PER_ORIGIN);
      // another peer still has room of its own
      assertThat(code(catchThrowable(() -> fetched.db(ref(), PeerId.of("other"))))).isNotEqualTo("remote/too-many-stores");
    }
  }
}
