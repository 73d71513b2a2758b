package io.datahop.index;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A map-backed {@link Store} that counts blob reads and writes, so tree tests can check the
 * traffic independently of the tree's own counters. Verifies hashes on read like every store.
 */
final class CountingStore implements Store {
  private final Map<Address, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Address> heads = new ConcurrentHashMap<>();
  private final io.datahop.store.StoreId id = io.datahop.store.StoreId.random();
  final AtomicLong gets = new AtomicLong();
  final AtomicLong puts = new AtomicLong();

  @Override
  public io.datahop.store.StoreId id() {
    return id;
  }

  @Override
  public String locator() {
    return "test:counting";
  }

  @Override
  public Address put(byte[] blob) {
    puts.incrementAndGet();
    Address a = Address.of(blob);
    blobs.putIfAbsent(a, blob);
    return a;
  }

  @Override
  public byte[] get(Address address) {
    gets.incrementAndGet();
    byte[] b = blobs.get(address);
    if (b == null) {
      throw new DatahopException.NotFound("store/missing-blob", "no blob " + address);
    }
    if (!address.matches(b)) {
      throw new DatahopException.Fault("store/corrupt-blob", "blob " + address + " is damaged");
    }
    return b;
  }

  /** Overwrites a stored blob's bytes, as disk damage would. */
  void corrupt(Address a, byte[] bytes) {
    blobs.put(a, bytes);
  }

  int size() {
    return blobs.size();
  }

  @Override
  public boolean contains(Address address) {
    return blobs.containsKey(address);
  }

  @Override
  public Optional<Address> head(String name) {
    return Optional.ofNullable(heads.get(name));
  }

  @Override
  public synchronized boolean compareAndSetHead(String name, Address expected, Address next) {
    if (!java.util.Objects.equals(heads.get(name), expected)) {
      return false;
    }
    heads.put(name, next);
    return true;
  }

  @Override
  public Set<String> heads() {
    return Set.copyOf(heads.keySet());
  }

  @Override
  public void forEachAddress(Consumer<Address> sink) {
    blobs.keySet().forEach(sink);
  }

  @Override
  public void delete(Address address) {
    blobs.remove(address);
  }

  @Override
  public void close() {}
}
