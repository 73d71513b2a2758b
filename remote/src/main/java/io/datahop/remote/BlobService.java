package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import io.datahop.wire.FressianCodec;
import io.datahop.wire.StoreRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The bodies a {@link PeerBackedStore} sends to the peer a Db came from: read one blob, or ask
 * whether one is there. They run only on a peer built with {@link Peer.Builder#serveBlobs}; any
 * other peer answers {@code remote/blobs-not-served}. A served store is one registered in the
 * peer's {@link StoreRegistry}, or one that peer itself reads through another peer (so a Db can
 * hop A → B → C with only A holding the storage).
 *
 * <p>Serving is by address only: a caller must already know an address (a SHA-256 of the blob,
 * found by following a DbRef it was sent), and it gets bytes it can verify, nothing else — no
 * heads, no listing, no writes.
 */
@RemoteScope
final class BlobService {
  private BlobService() {}

  static SerializableCallable<byte[]> get(UUID store, byte[] address) {
    return () -> served(store).get(Address.fromBytes(address));
  }

  static SerializableCallable<Boolean> contains(UUID store, byte[] address) {
    return () -> served(store).contains(Address.fromBytes(address));
  }

  private static Store served(UUID uuid) {
    Peer self = Remote.peer();
    StoreId id = new StoreId(uuid);
    if (!self.servesBlobs()) {
      throw new DatahopException.Unsupported("remote/blobs-not-served",
          "peer " + self.id() + " does not serve the blobs of its stores to other peers; build it with"
              + " Peer.builder().serveBlobs(true), or give the receiver access to store " + id,
          Map.of("peer", self.id().toString(), "store-id", id.toString()), null);
    }
    Optional<Store> local = registry(self).lookup(id).map(Connection::store);
    return local.or(() -> self.fetched().any(id)).orElseThrow(() -> new DatahopException.NotFound(
        "remote/store-not-served",
        "peer " + self.id() + " has no store " + id + " registered, so it cannot serve its blobs",
        Map.of("peer", self.id().toString(), "store-id", id.toString()), null));
  }

  static StoreRegistry registry(Peer peer) {
    return peer.codec() instanceof FressianCodec f ? f.registry() : StoreRegistry.global();
  }
}
