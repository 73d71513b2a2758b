package io.datahop.store;

import io.datahop.DatahopException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A process-local store held in memory ({@code mem:NAME}). Named stores live in a process-wide
 * map (see {@link MemStoreProvider}), so two opens of {@code mem:x} share one store until {@link
 * Stores#delete} removes it; {@link #MemStore()} makes an anonymous store nobody else can open.
 *
 * <p>{@link #get} verifies the hash and returns a copy, so neither a caller that changes a blob it
 * put nor one that changes what it got can corrupt what others read.
 */
public final class MemStore implements Store {
  /** The shared state of one named store; every {@link MemStore} handle on it reads this. */
  static final class State {
    final StoreId id = StoreId.random();
    final Map<Address, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, Address> heads = new ConcurrentHashMap<>();
    /** Held by every head change and by sweeps, which therefore exclude each other. */
    final Object headLock = new Object();
    volatile long gcGeneration;
  }

  private final State state;
  private final String locator;

  /** A new anonymous, empty store. */
  public MemStore() {
    this(new State(), "mem:" + StoreId.random());
  }

  MemStore(State state, String locator) {
    this.state = state;
    this.locator = locator;
  }

  @Override
  public StoreId id() {
    return state.id;
  }

  @Override
  public String locator() {
    return locator;
  }

  @Override
  public Address put(byte[] blob) {
    Address address = Address.of(blob);
    state.blobs.putIfAbsent(address, blob);
    return address;
  }

  @Override
  public byte[] get(Address address) {
    byte[] blob = state.blobs.get(address);
    if (blob == null) {
      throw StoreErrors.missing(locator, address);
    }
    if (!address.matches(blob)) {
      throw StoreErrors.damaged(locator, address, "bytes do not hash to the address");
    }
    return blob.clone();
  }

  @Override
  public boolean contains(Address address) {
    return state.blobs.containsKey(address);
  }

  @Override
  public Optional<Address> head(String name) {
    return Optional.ofNullable(state.heads.get(StoreErrors.checkHeadName(name)));
  }

  @Override
  public boolean compareAndSetHead(String name, Address expected, Address next, long gcGeneration) {
    StoreErrors.checkHeadName(name);
    if (next == null) {
      throw new DatahopException.Incorrect("store/bad-head", "the new head of '" + name + "' is null");
    }
    synchronized (state.headLock) {
      if (gcGeneration != ANY_GC_GENERATION && state.gcGeneration != gcGeneration) {
        return false;
      }
      if (expected == null) {
        return state.heads.putIfAbsent(name, next) == null;
      }
      return state.heads.replace(name, expected, next);
    }
  }

  @Override
  public long gcGeneration() {
    return state.gcGeneration;
  }

  @Override
  public long sweep(Function<Map<String, Address>, Collection<Address>> plan) {
    synchronized (state.headLock) {
      long deleted = 0;
      for (Address a : plan.apply(Map.copyOf(state.heads))) {
        if (state.blobs.remove(a) != null) {
          deleted++;
        }
      }
      if (deleted > 0) {
        state.gcGeneration++;
      }
      return deleted;
    }
  }

  @Override
  public Set<String> heads() {
    return new TreeSet<>(state.heads.keySet());
  }

  @Override
  public void forEachAddress(Consumer<Address> sink) {
    state.blobs.keySet().forEach(sink);
  }

  /** Replaces the stored bytes without changing the address: lets tests inject damage. */
  void damageForTest(Address address, byte[] bytes) {
    state.blobs.put(address, bytes);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "MemStore[" + locator + ", " + state.id + "]";
  }
}
