package io.datahop.store;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The storage SPI: immutable content-addressed blobs plus mutable named heads.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #put} stores a blob under {@link Address#of its hash} and returns that address.
 *       Putting bytes that are already stored is a no-op. A blob put before a successful
 *       {@link #compareAndSetHead} is durable once that call returns: backends batch the sync of
 *       blobs into the head update, so a commit costs one sync, not one per blob.
 *   <li>{@link #get} returns exactly the bytes that were put, verified against the address. A blob
 *       whose bytes do not hash to its address is a {@link io.datahop.DatahopException.Fault}
 *       naming the address, never data. A missing blob is a {@link
 *       io.datahop.DatahopException.NotFound} naming the address.
 *   <li>{@link #compareAndSetHead} is linearizable across every process that opened the store:
 *       it succeeds only when the head still holds {@code expected} ({@code null} = absent).
 *   <li>A store is safe for concurrent use by many threads.
 * </ul>
 *
 * <p>A backend implements only this interface; caching and node decoding live above it.
 */
public interface Store extends AutoCloseable {
  /** The id written into the store when it was created. */
  StoreId id();

  /** A human-readable locator such as {@code file:/tmp/x} or {@code mem:name}, for errors. */
  String locator();

  /** Stores {@code blob} (not copied: the caller must not change it) and returns its address. */
  Address put(byte[] blob);

  /**
   * Stores {@code buf[off, off + len)} and returns its address: the same as {@link #put(byte[])}
   * of a copy of that range, but the caller may reuse {@code buf} as soon as this returns. A
   * backend that writes the bytes out right away overrides it to skip the copy (a flush encodes
   * every node into one reused buffer).
   */
  default Address put(byte[] buf, int off, int len) {
    return put(java.util.Arrays.copyOfRange(buf, off, off + len));
  }

  /** The verified bytes at {@code address}. */
  byte[] get(Address address);

  /** True when a blob is stored at {@code address}. */
  boolean contains(Address address);

  /** The commit address a head points to, if the head exists. */
  Optional<Address> head(String name);

  /**
   * Points head {@code name} at {@code next} if it still points at {@code expected} ({@code null}
   * meaning the head does not exist yet). Makes every blob put so far durable first.
   *
   * @return true when the head was changed
   */
  boolean compareAndSetHead(String name, Address expected, Address next);

  /** Every head name. */
  java.util.Set<String> heads();

  /** Calls {@code sink} with every stored address (for verify and gc); order unspecified. */
  void forEachAddress(Consumer<Address> sink);

  /**
   * Deletes a blob; only garbage collection calls this. Deleting a missing blob is a no-op. The
   * caller must make sure no writer still relies on the blob: a put of bytes that are already
   * stored is a no-op, so a concurrent commit could name a blob deleted under it (gc keeps recent
   * blobs for that reason).
   */
  void delete(Address address);

  /**
   * Reclaims the space of deleted blobs where a backend keeps it until asked (the file store
   * rewrites pack files that are mostly deleted records); gc calls it after its deletes. Blobs
   * that were not deleted stay readable throughout, by this and every other process.
   *
   * @return bytes reclaimed (0 by default: databases reclaim space themselves)
   */
  default long compact() {
    return 0;
  }

  /** Releases files, pools and locks. Idempotent. */
  @Override
  void close();
}
