package io.datahop.index;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.MemStore;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link MemStore} that counts blob reads and writes, so tree tests can check the traffic
 * independently of the tree's own counters, and that can damage a blob as a disk would (the
 * damaged bytes fail the hash check on read, as in every store).
 */
final class CountingStore implements Store {
  private final MemStore store = new MemStore();
  private final Map<Address, byte[]> damaged = new ConcurrentHashMap<>();
  final AtomicLong gets = new AtomicLong();
  final AtomicLong puts = new AtomicLong();

  @Override
  public StoreId id() {
    return store.id();
  }

  @Override
  public String locator() {
    return store.locator();
  }

  @Override
  public Address put(byte[] blob) {
    puts.incrementAndGet();
    return store.put(blob);
  }

  @Override
  public byte[] get(Address address) {
    gets.incrementAndGet();
    byte[] bad = damaged.get(address);
    if (bad != null && !address.matches(bad)) {
      throw new DatahopException.Fault(
          "store/damaged-blob", "blob " + address + " is damaged", Map.of("address", address.hex()), null);
    }
    return store.get(address);
  }

  /** Replaces a stored blob's bytes, as disk damage would. */
  void corrupt(Address a, byte[] bytes) {
    damaged.put(a, bytes);
  }

  int size() {
    int[] n = {0};
    store.forEachAddress(a -> n[0]++);
    return n[0];
  }

  @Override
  public boolean contains(Address address) {
    return store.contains(address);
  }

  @Override
  public Optional<Address> head(String name) {
    return store.head(name);
  }

  @Override
  public boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration) {
    return store.compareAndSetHead(name, expected, next, gcGeneration);
  }

  @Override
  public long gcGeneration() {
    return store.gcGeneration();
  }

  @Override
  public Set<String> heads() {
    return store.heads();
  }

  @Override
  public void forEachAddress(Consumer<Address> sink) {
    store.forEachAddress(sink);
  }

  @Override
  public long sweep(java.util.function.Function<java.util.Map<String, Address>, java.util.Collection<Address>> plan) {
    return store.sweep(heads -> {
      java.util.Collection<Address> doomed = plan.apply(heads);
      doomed.forEach(damaged::remove);
      return doomed;
    });
  }

  @Override
  public void close() {
    store.close();
  }
}
