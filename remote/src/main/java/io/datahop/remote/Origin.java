package io.datahop.remote;

import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.wire.Codec;
import java.util.function.Function;

/**
 * Which peer sent the bytes the current thread decodes. The codec resolves a {@code Db} through a
 * {@link io.datahop.wire.StoreRegistry}, which knows nothing of peers; while a peer that {@linkplain
 * Peer.Builder#fetchFromSender fetches from senders} decodes, this names the sender, so the
 * registry's {@link #RESOLVER} can read a store unknown here through that sender.
 */
record Origin(Peer receiver, PeerId sender) {
  private static final ThreadLocal<Origin> CURRENT = new ThreadLocal<>();

  /** The registry resolver: a Db of an unknown store, read from the peer that sent it; else null. */
  static final Function<DbRef, Db> RESOLVER = ref -> {
    Origin o = CURRENT.get();
    return o == null || o.sender() == null ? null : o.receiver().fetched().db(ref, o.sender());
  };

  /** Decodes {@code bytes} that {@code sender} sent to {@code receiver}. */
  static Object decode(Peer receiver, PeerId sender, byte[] bytes, Codec codec) {
    if (!receiver.fetchesFromSender()) {
      return Values.decode(bytes, codec);
    }
    Origin previous = CURRENT.get();
    CURRENT.set(new Origin(receiver, sender));
    try {
      return Values.decode(bytes, codec);
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
