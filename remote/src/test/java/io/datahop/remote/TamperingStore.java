package io.datahop.remote;

import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.StoreId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** A real store whose reads flip one byte: what a lying or corrupted peer would serve. */
final class TamperingStore implements Store {
  private final Store real;

  TamperingStore(Store real) {
    this.real = real;
  }

  @Override public StoreId id() { return real.id(); }
  @Override public String locator() { return real.locator(); }
  @Override public Address put(byte[] blob) { return real.put(blob); }

  @Override
  public byte[] get(Address address) {
    byte[] b = real.get(address).clone();
    b[b.length / 2] ^= 1;
    return b;
  }

  @Override public boolean contains(Address address) { return real.contains(address); }
  @Override public Optional<Address> head(String name) { return real.head(name); }
  @Override public boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration) { return real.compareAndSetHead(name, expected, next, gcGeneration); }
  @Override public long gcGeneration() { return real.gcGeneration(); }
  @Override public Set<String> heads() { return real.heads(); }
  @Override public void forEachAddress(Consumer<Address> sink) { real.forEachAddress(sink); }
  @Override public long sweep(Function<Map<String, Address>, Collection<Address>> plan) { return real.sweep(plan); }
  @Override public void close() {}
}
