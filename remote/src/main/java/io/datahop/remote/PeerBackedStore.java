package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A read-only {@link Store} whose blobs are read, on demand, from the peer a Db came from: the
 * storage of a peer that cannot open the origin's store. Every blob is verified against its
 * address (SHA-256) before it is returned, so a wrong or tampered answer is a {@code
 * store/damaged-blob} Fault, never data. Nodes are cached above this store, in the node cache of
 * the read-only connection over it, so a node crosses the network once while it stays cached.
 *
 * <p>Heads, writes, listing and deletes are {@code store/read-only} Unsupported. A fetch is a
 * remote call with the peer's default deadline (shortened to what is left of the body it runs
 * in); it fails fast, instead of dead-locking, on the peer's own I/O thread, where the answer
 * could never be read.
 *
 * <p>Made by a peer built with {@link Peer.Builder#fetchFromSender}; see {@link
 * Peer#fetchedStores()}.
 */
public final class PeerBackedStore implements Store {
  private final Peer peer;
  private final PeerId origin;
  private final StoreId id;
  private final String locator;
  private final LongAdder blobs = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile boolean closed;

  PeerBackedStore(Peer peer, PeerId origin, StoreId id, String locator) {
    this.peer = peer;
    this.origin = origin;
    this.id = id;
    this.locator = locator;
  }

  /** The peer blobs are read from. */
  public PeerId origin() {
    return origin;
  }

  /** What this store fetched so far. */
  public FetchStats fetchStats() {
    return new FetchStats(blobs.sum(), bytes.sum());
  }

  @Override
  public StoreId id() {
    return id;
  }

  /** The origin's locator of the store, so a Db re-sent from here still names the real store. */
  @Override
  public String locator() {
    return locator;
  }

  @Override
  public byte[] get(Address address) {
    byte[] blob = call("read blob " + address, BlobService.get(id.uuid(), address.toBytes()));
    if (blob == null || !address.matches(blob)) {
      throw new DatahopException.Fault("store/damaged-blob",
          "blob " + address + " of store " + locator + " as sent by peer " + origin + " does not hash to its address",
          Map.of("address", address.hex(), "store", locator, "peer", origin.toString()), null);
    }
    blobs.increment();
    bytes.add(blob.length);
    return blob;
  }

  @Override
  public boolean contains(Address address) {
    return Boolean.TRUE.equals(call("look up blob " + address, BlobService.contains(id.uuid(), address.toBytes())));
  }

  private <T> T call(String what, SerializableCallable<T> body) {
    if (closed) {
      throw new DatahopException.Unavailable("store/closed", "the store " + locator + " read through peer " + origin + " is closed");
    }
    for (EventExecutor e : peer.group()) {
      if (e.inEventLoop()) {
        throw new DatahopException.Unsupported("remote/fetch-on-io-thread",
            "cannot " + what + " of store " + locator + " from peer " + origin + " on peer " + peer.id()
                + "'s I/O thread, which must stay free to read the answer: use this Db off that thread"
                + " (join the call's future, or use thenApplyAsync)",
            Map.of("store", locator, "peer", origin.toString()), null);
      }
    }
    CompletableFuture<T> f = peer.on(origin, deadline(), body);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new DatahopException.Unavailable("remote/interrupted",
          "interrupted while waiting to " + what + " from peer " + origin, Map.of("peer", origin.toString()), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RemoteException r && r.datahopError().isPresent()) {
        DatahopException d = r.datahopError().get();
        throw DatahopException.of(d.category(), d.code(),
            "cannot " + what + " of store " + locator + " from peer " + origin + ": " + d.getMessage(), d.context(), r);
      }
      if (cause instanceof DatahopException d) {
        throw DatahopException.of(d.category(), d.code(),
            "cannot " + what + " of store " + locator + " from peer " + origin + ": " + d.getMessage(), d.context(), d);
      }
      throw new DatahopException.Fault("remote/fetch-failed",
          "cannot " + what + " of store " + locator + " from peer " + origin + ": " + cause,
          Map.of("store", locator, "peer", origin.toString()), cause);
    }
  }

  private Duration deadline() {
    Duration d = peer.config().defaultDeadline();
    BodyContext body = Remote.CURRENT.get();
    if (body != null) {
      Duration left = Duration.ofNanos(Math.max(1_000_000, body.deadlineNanos() - System.nanoTime()));
      return left.compareTo(d) < 0 ? left : d;
    }
    return d;
  }

  @Override
  public Address put(byte[] blob) {
    throw readOnly("put");
  }

  @Override
  public Optional<Address> head(String name) {
    throw readOnly("head");
  }

  @Override
  public boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration) {
    throw readOnly("compareAndSetHead");
  }

  @Override
  public long gcGeneration() {
    throw readOnly("gcGeneration");
  }

  @Override
  public Set<String> heads() {
    throw readOnly("heads");
  }

  @Override
  public void forEachAddress(Consumer<Address> sink) {
    throw readOnly("forEachAddress");
  }

  @Override
  public long sweep(java.util.function.Function<java.util.Map<String, Address>, java.util.Collection<Address>> plan) {
    throw readOnly("sweep");
  }

  private DatahopException readOnly(String what) {
    return new DatahopException.Unsupported("store/read-only",
        what + " is not available: store " + locator + " is read-only here, where it is read through peer " + origin
            + " (only blobs named by a Db sent from there can be read)",
        Map.of("store", locator, "peer", origin.toString()), null);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "PeerBackedStore[" + locator + " via " + origin + "]";
  }
}
