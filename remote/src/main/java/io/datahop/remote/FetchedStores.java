package io.datahop.remote;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stores one peer reads through the peers that sent their Dbs: one {@link PeerBackedStore}
 * and one read-only connection (with its node cache) per store and origin, kept until the peer
 * closes, so later Dbs of the same store reuse the nodes already fetched.
 */
final class FetchedStores {
  private record Key(StoreId store, PeerId origin) {}

  private record Entry(PeerBackedStore store, Connection conn) {}

  private final Peer peer;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean closed;

  FetchedStores(Peer peer) {
    this.peer = peer;
  }

  /** The Db {@code ref} names, read through {@code origin}; lazy on the peer's I/O thread. */
  Db db(DbRef ref, PeerId origin) {
    if (closed || origin.equals(peer.id())) {
      return null;
    }
    Entry e = entries.computeIfAbsent(new Key(ref.storeId(), origin), k -> {
      PeerBackedStore store = new PeerBackedStore(peer, origin, ref.storeId(), ref.locator());
      return new Entry(store, Databases.readOnly(store));
    });
    for (EventExecutor x : peer.group()) {
      if (x.inEventLoop()) {
        return new LazyDb(ref, () -> e.conn().dbAt(ref));
      }
    }
    return e.conn().dbAt(ref);
  }

  /** A store with this id read through any origin, for serving it on (A → B → C). */
  Optional<Store> any(StoreId id) {
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      if (e.getKey().store().equals(id)) {
        return Optional.of(e.getValue().store());
      }
    }
    return Optional.empty();
  }

  List<PeerBackedStore> stores() {
    List<PeerBackedStore> out = new ArrayList<>();
    entries.values().forEach(e -> out.add(e.store()));
    return out;
  }

  void close() {
    closed = true;
    for (Entry e : entries.values()) {
      e.conn().close();
      e.store().close();
    }
    entries.clear();
  }
}
