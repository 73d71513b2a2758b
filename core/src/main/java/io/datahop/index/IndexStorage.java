package io.datahop.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the trees of one {@link Store} keep their nodes: the store, the {@link KeyCodec} of the
 * keys, the node size, and one bounded node cache with its counters. Every tree, Db value and
 * codec of a store shares one cache: derive storages for other key types with {@link
 * #withCodec}, which shares the cache and the counters.
 *
 * <p>Node loads go store → {@link NodeFormat#decode decode} → cache; a flushed node goes into
 * the cache as it is written, so reading back what was just written costs no store read —
 * except the nodes of a tree big enough to be flushed on two threads (a bulk load), which stay
 * out so as not to flood it; the tree holds them, and later versions load what they touch. The
 * cache is bounded by an estimate of decoded heap bytes ({@link KeyCodec#heapBytes}).
 *
 * <p>Thread-safe.
 *
 * @param <K> the key type of trees using this storage
 */
public final class IndexStorage<K> {
  /** Default bound of the node cache: a quarter of the heap, at most 512 MiB. */
  public static final long DEFAULT_CACHE_BYTES =
      Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);

  /** Default maximum keys per leaf and children per branch, chosen by {@code BTreeBench}. */
  public static final int DEFAULT_NODE_SIZE = 256;

  private final Store store;
  private final KeyCodec<Object> codec;
  private final int nodeSize;
  private final Shared shared;

  private IndexStorage(Store store, KeyCodec<Object> codec, int nodeSize, Shared shared) {
    this.store = store;
    this.codec = codec;
    this.nodeSize = nodeSize;
    this.shared = shared;
  }

  /** A storage over {@code store} with the default cache bound and node size. */
  public static <K> IndexStorage<K> of(Store store, KeyCodec<K> codec) {
    return builder(store).build(codec);
  }

  /** Starts configuring a storage over {@code store}. */
  public static Builder builder(Store store) {
    return new Builder(Objects.requireNonNull(store, "store"));
  }

  /**
   * A storage for another key type (another index order, another codec) over the same store,
   * sharing this storage's cache, counters and node size.
   */
  @SuppressWarnings("unchecked")
  public <T> IndexStorage<T> withCodec(KeyCodec<T> codec) {
    return new IndexStorage<>(
        store, (KeyCodec<Object>) Objects.requireNonNull(codec, "codec"), nodeSize, shared);
  }

  /** The underlying store. */
  public Store store() {
    return store;
  }

  /** The key codec. */
  @SuppressWarnings("unchecked")
  public KeyCodec<K> codec() {
    return (KeyCodec<K>) (KeyCodec<?>) codec;
  }

  /** Maximum keys per leaf and children per branch of trees built on this storage. */
  public int nodeSize() {
    return nodeSize;
  }

  /** The node traffic so far (shared with every storage derived by {@link #withCodec}). */
  public IndexStats stats() {
    return shared.snapshot();
  }

  /** Empties the node cache (for cold-read benchmarks and tests); counters keep counting. */
  public void clearCache() {
    shared.cache.invalidateAll();
    shared.cache.cleanUp();
  }

  /** Nodes now cached (an estimate while the cache is busy). */
  long cachedNodes() {
    return shared.cache.estimatedSize();
  }

  /** Estimated heap bytes of the nodes now cached. */
  public long cachedBytes() {
    return shared.cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** The node at {@code address}, from the cache or loaded (and counted) from the store. */
  Node load(Address address) {
    Node n = shared.cache.getIfPresent(address);
    if (n != null && n.codecTag() == codec) {
      shared.hits.increment();
      return n;
    }
    if (n != null) {
      // the same bytes were decoded by another codec: decode for this one, leave the cache be
      return read(address);
    }
    return shared.cache.get(address, this::read);
  }

  /** Reads and decodes without consulting the cache (counted as a load); verify uses it. */
  Node read(Address address) {
    return decode(readBytes(address), address);
  }

  /** Decodes a node read from the store, counting it as a load. */
  Node decode(byte[] blob, Address address) {
    shared.loads.increment();
    shared.bytesRead.add(blob.length);
    Node node = NodeFormat.decode(blob, address, codec);
    node.stored(address, codec, codec.heapBytes(node.len(), blob.length));
    return node;
  }

  /** Raw bytes of a node, verified by the store; verify uses it to report sizes. */
  byte[] readBytes(Address address) {
    try {
      return store.get(address);
    } catch (DatahopException.NotFound e) {
      throw new DatahopException.Fault(
          "index/missing-node",
          "tree node " + address + " is missing from store " + store.locator(),
          Map.of("address", address.hex(), "store", store.locator()),
          e);
    }
  }

  /**
   * Writes {@code node} (whose children are all stored) and caches it. {@code buf} is scratch
   * space reused across the nodes of one flush.
   */
  Address write(Node node, NodeOutput buf) {
    Address a = writeUncached(node, buf);
    shared.cache.put(a, node);
    return a;
  }

  /** Writes {@code node} like {@link #write} but leaves it out of the cache. */
  Address writeUncached(Node node, NodeOutput buf) {
    buf.reset();
    NodeFormat.encode(node, codec, buf);
    int size = buf.size();
    // the store hashes and writes the range; a file store needs no copy of it
    Address a = store.put(buf.array(), 0, size);
    shared.written.increment();
    shared.bytesWritten.add(size);
    node.stored(a, codec, codec.heapBytes(node.len(), size));
    return a;
  }

  /** Configures an {@link IndexStorage}; rejects bad values where they are set. */
  public static final class Builder {
    private final Store store;
    private long cacheBytes = DEFAULT_CACHE_BYTES;
    private int nodeSize = DEFAULT_NODE_SIZE;

    private Builder(Store store) {
      this.store = store;
    }

    /** Bound of the node cache in estimated heap bytes (0 disables caching). */
    public Builder cacheBytes(long bytes) {
      if (bytes < 0) {
        throw new DatahopException.Incorrect(
            "index/bad-option", "cacheBytes must be >= 0, got " + bytes);
      }
      this.cacheBytes = bytes;
      return this;
    }

    /** Maximum keys per leaf and children per branch (4 to 65536). */
    public Builder nodeSize(int size) {
      if (size < 4 || size > 65536) {
        throw new DatahopException.Incorrect(
            "index/bad-option", "nodeSize must be in [4, 65536], got " + size);
      }
      this.nodeSize = size;
      return this;
    }

    /** The storage for keys written by {@code codec}. */
    @SuppressWarnings("unchecked")
    public <K> IndexStorage<K> build(KeyCodec<K> codec) {
      return new IndexStorage<>(
          store,
          (KeyCodec<Object>) Objects.requireNonNull(codec, "codec"),
          nodeSize,
          new Shared(cacheBytes));
    }
  }

  /** What the storages derived from one builder share. */
  private static final class Shared {
    final Cache<Address, Node> cache;
    final LongAdder loads = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder written = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();

    Shared(long maxBytes) {
      this.cache =
          Caffeine.newBuilder()
              .maximumWeight(maxBytes)
              .weigher((Address a, Node n) -> n.weight())
              // maintenance on the calling thread: no background work, deterministic tests
              .executor(Runnable::run)
              .build();
    }

    IndexStats snapshot() {
      return new IndexStats(
          loads.sum(), hits.sum(), bytesRead.sum(), written.sum(), bytesWritten.sum());
    }
  }
}
