package io.datahop.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

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
 *       it succeeds only when the head still holds {@code expected} ({@code null} = absent) and
 *       no {@link #sweep} deleted blobs since the writer read {@link #gcGeneration()}.
 *   <li>{@link #sweep} and {@link #compareAndSetHead} exclude each other across processes, so
 *       gc never deletes a blob that a commit landing before or during it names (see
 *       {@code docs/format.md}, "Garbage collection beside live writers").
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
   * meaning the head does not exist yet) <em>and</em> no gc sweep has deleted blobs since the
   * store's {@link #gcGeneration()} was {@code gcGeneration}. Makes every blob put so far durable
   * first.
   *
   * <p>The generation check is what makes gc safe beside live writers: a writer reads the
   * generation before it puts the first blob of a commit and passes it here; a sweep that ran in
   * between may have deleted a blob the commit names (one it put before the sweep looked, or one
   * it reused by deduplication), so the commit must not land. It fails like a lost race and the
   * writer builds it again, putting whatever is gone anew.
   *
   * @return true when the head was changed
   */
  boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration);

  /**
   * Passed as the generation to {@link #compareAndSetHead(String, Address, Address, long)}: no
   * generation check at all.
   */
  long ANY_GC_GENERATION = Long.MIN_VALUE;

  /**
   * {@link #compareAndSetHead(String, Address, Address, long)} without the generation check
   * ({@link #ANY_GC_GENERATION}): only for a caller whose blobs no gc can sweep (a tool that holds
   * the store alone, tests). The database's writer never uses it.
   */
  default boolean compareAndSetHead(String name, Address expected, Address next) {
    return compareAndSetHead(name, expected, next, ANY_GC_GENERATION);
  }

  /**
   * A number that grows each time a {@link #sweep} deletes blobs, as seen by every process that
   * opened the store. It may lag behind (a cached value; that only makes the next
   * compare-and-set fail once), but it never runs ahead of the store.
   */
  long gcGeneration();

  /**
   * Deletes garbage blobs, safely beside live writers in any process (gc calls it). Under the
   * store's head lock — no compare-and-set can happen meanwhile — it reads every head, calls
   * {@code plan} with them (it returns what to delete: gc re-walks commits made since it marked),
   * deletes those blobs, and then advances {@link #gcGeneration()} if it deleted any, so every
   * commit whose blobs were put before the sweep fails its compare-and-set and is rebuilt.
   * Deleting a missing blob is a no-op. Keep {@code plan} short: writers wait for it.
   *
   * @return the number of blobs deleted
   */
  long sweep(Function<Map<String, Address>, Collection<Address>> plan);

  /** Every head name. */
  java.util.Set<String> heads();

  /** Calls {@code sink} with every stored address (for verify and gc); order unspecified. */
  void forEachAddress(Consumer<Address> sink);

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

  /**
   * {@link #compact()}; with {@code everyDeletedRecord}, also space the backend would normally
   * leave for later (the file store: packs with only a few deleted records), so that no byte of
   * a deleted blob stays where a writer has closed — what gc does after an excision. A database
   * backend deletes rows at once; it only needs its own vacuum for the disk pages.
   */
  default long compact(boolean everyDeletedRecord) {
    return compact();
  }

  /** Releases files, pools and locks. Idempotent. */
  @Override
  void close();
}
