package io.datahop.remote;

import io.datahop.DatahopException;
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

  /**
   * Stores one origin may make this peer read through it, and all origins together: each is a
   * node cache of its own, so a peer sending Dbs of ever-new store ids must not grow them without
   * bound.
   */
  static final int MAX_PER_ORIGIN = 16;
  static final int MAX_TOTAL = 128;

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
    Key key = new Key(ref.storeId(), origin);
    Entry e = entries.get(key);
    if (e == null) {
      synchronized (this) {
        e = entries.get(key);
        if (e == null) {
          checkRoom(ref, origin);
          PeerBackedStore store = new PeerBackedStore(peer, origin, ref.storeId(), ref.locator());
          e = new Entry(store, Databases.readOnly(store));
          entries.put(key, e);
        }
      }
    }
    Entry entry = e;
    for (EventExecutor x : peer.group()) {
      if (x.inEventLoop()) {
        return new LazyDb(ref, () -> entry.conn().dbAt(ref));
      }
    }
    return entry.conn().dbAt(ref);
  }

  private void checkRoom(DbRef ref, PeerId origin) {
    long fromOrigin = entries.keySet().stream().filter(k -> k.origin().equals(origin)).count();
    if (fromOrigin >= MAX_PER_ORIGIN || entries.size() >= MAX_TOTAL) {
      throw new DatahopException.Unavailable("remote/too-many-stores",
          "not reading store " + ref.storeId() + " through peer " + origin + ": this peer already reads "
              + (fromOrigin >= MAX_PER_ORIGIN ? fromOrigin + " stores through it" : entries.size() + " stores through its peers")
              + " (at most " + MAX_PER_ORIGIN + " per peer and " + MAX_TOTAL + " in all)",
          Map.of("store", ref.storeId().toString(), "peer", origin.toString()), null);
    }
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
