package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} backend owes its users, run once per backend by a subclass
 * ({@code MemStoreTest}, {@code FileStoreTest}, and the JDBC ones in the {@code jdbc} module).
 *
 * <p>A subclass supplies a fresh store, a way to open a second handle on the same store, and a
 * way to damage a stored blob behind the store's back. Random tests print their seed; pin one with
 * {@code -Ddatahop.seed=N}.
 */
public abstract class StoreContractTest {
  private final List<Store> opened = new ArrayList<>();

  /** A new, empty store; the subclass deletes it after the test. */
  protected abstract Store newStore() throws Exception;

  /** Replaces the stored bytes of {@code address} with other bytes, bypassing the store. */
  protected abstract void damage(Store store, Address address) throws Exception;

  /** Another handle on the same store (a new connection or pool, as another process would). */
  protected Store openAgain(Store store) throws Exception {
    return Stores.open(store.locator(), false);
  }

  /** Concurrent compare-and-set rounds; backends with slow commits may lower it. */
  protected int casRounds() {
    return 40;
  }

  private Store store() throws Exception {
    return track(newStore());
  }

  private Store again(Store store) throws Exception {
    return track(openAgain(store));
  }

  private Store track(Store store) {
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Store::close);
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static byte[] random(SplittableRandom rnd, int size) {
    byte[] b = new byte[size];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void getReturnsExactlyTheBytesPut() throws Exception {
    Store store = store();
    SplittableRandom rnd = new SplittableRandom(1);
    for (int size : new int[] {0, 1, 31, 32, 33, 4096, 16 * 1024 + 7, 1 << 20}) {
      byte[] blob = random(rnd, size);
      Address a = store.put(blob.clone());
      assertThat(a).isEqualTo(Address.of(blob));
      assertThat(store.get(a)).as("size %d", size).isEqualTo(blob);
      assertThat(store.contains(a)).isTrue();
    }
  }

  @Test
  void aRangeOfAReusedBufferIsStoredAsItsOwnBlob() throws Exception {
    // a flush encodes every node into one buffer and puts the written range
    Store store = store();
    SplittableRandom rnd = new SplittableRandom(2);
    byte[] buf = new byte[40_000];
    List<byte[]> blobs = new ArrayList<>();
    List<Address> addresses = new ArrayList<>();
    for (int size : new int[] {0, 1, 33, 4096, 30_000}) {
      byte[] blob = random(rnd, size);
      int off = rnd.nextInt(buf.length - size + 1);
      System.arraycopy(blob, 0, buf, off, size);
      Address a = store.put(buf, off, size);
      assertThat(a).as("size %d", size).isEqualTo(Address.of(blob)).isEqualTo(Address.of(buf, off, size));
      java.util.Arrays.fill(buf, (byte) 0x5A); // reused right away
      blobs.add(blob);
      addresses.add(a);
    }
    for (int i = 0; i < blobs.size(); i++) {
      assertThat(store.get(addresses.get(i))).isEqualTo(blobs.get(i));
    }
    assertThat(store.put(blobs.get(3).clone())).isEqualTo(addresses.get(3));
  }

  @Test
  void puttingABlobTwiceStoresItOnce() throws Exception {
    Store store = store();
    Address a = store.put(bytes("same"));
    Address b = store.put(bytes("same"));
    assertThat(b).isEqualTo(a);
    List<Address> all = new ArrayList<>();
    store.forEachAddress(all::add);
    assertThat(all).containsExactly(a);
    assertThat(store.get(a)).isEqualTo(bytes("same"));
  }

  @Test
  void changingAReturnedArrayDoesNotChangeTheStore() throws Exception {
    Store store = store();
    Address a = store.put(bytes("immutable"));
    byte[] got = store.get(a);
    got[0] = 'X';
    assertThat(store.get(a)).isEqualTo(bytes("immutable"));
  }

  @Test
  void aMissingBlobIsNotFoundNamingItsAddress() throws Exception {
    Store store = store();
    Address missing = Address.of(bytes("never put"));
    assertThat(store.contains(missing)).isFalse();
    assertThatThrownBy(() -> store.get(missing))
        .isInstanceOf(DatahopException.NotFound.class)
        .hasMessageContaining(missing.hex())
        .satisfies(e -> assertThat(((DatahopException) e).context()).containsEntry("address", missing.hex()));
  }

  @Test
  void aDamagedBlobIsAFaultNamingItsAddressNeverData() throws Exception {
    Store store = store();
    Address good = store.put(bytes("a healthy neighbour"));
    Address a = store.put(bytes("this blob will be damaged on the medium"));
    store.compareAndSetHead("main", null, a);
    damage(store, a);
    for (Store s : List.of(store, again(store))) {
      assertThatThrownBy(() -> s.get(a))
          .isInstanceOf(DatahopException.Fault.class)
          .hasMessageContaining(a.hex())
          .satisfies(e -> assertThat(((DatahopException) e).code()).isEqualTo("store/damaged-blob"));
      assertThat(s.get(good)).isEqualTo(bytes("a healthy neighbour"));
    }
  }

  @Test
  void headsStartAbsentAndMoveOnlyByCompareAndSet() throws Exception {
    Store store = store();
    Address c1 = store.put(bytes("commit 1"));
    Address c2 = store.put(bytes("commit 2"));
    assertThat(store.head("main")).isEmpty();
    assertThat(store.heads()).isEmpty();

    assertThat(store.compareAndSetHead("main", c1, c2)).as("expected a value, head absent").isFalse();
    assertThat(store.compareAndSetHead("main", null, c1)).isTrue();
    assertThat(store.head("main")).contains(c1);
    assertThat(store.compareAndSetHead("main", null, c2)).as("expected absent, head present").isFalse();
    assertThat(store.compareAndSetHead("main", c2, c2)).as("wrong expected").isFalse();
    assertThat(store.head("main")).contains(c1);
    assertThat(store.compareAndSetHead("main", c1, c2)).isTrue();
    assertThat(store.head("main")).contains(c2);

    assertThat(store.compareAndSetHead("other branch ü", null, c1)).isTrue();
    assertThat(store.heads()).containsExactlyInAnyOrder("main", "other branch ü");
    assertThat(store.head("main")).contains(c2);
  }

  @Test
  void badHeadNamesAreRejected() throws Exception {
    Store store = store();
    Address a = store.put(bytes("x"));
    for (String bad : new String[] {"", "a\nb", "x".repeat(1001)}) {
      assertThatThrownBy(() -> store.compareAndSetHead(bad, null, a)).isInstanceOf(DatahopException.Incorrect.class);
      assertThatThrownBy(() -> store.head(bad)).isInstanceOf(DatahopException.Incorrect.class);
    }
    assertThatThrownBy(() -> store.compareAndSetHead("main", null, null)).isInstanceOf(DatahopException.Incorrect.class);
  }

  @Test
  void concurrentCompareAndSetHasExactlyOneWinnerPerRound() throws Exception {
    Store first = store();
    Store second = again(first);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Address current = null;
      for (int round = 0; round < casRounds(); round++) {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<Boolean>> tries = new ArrayList<>();
        List<Address> proposals = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Store via = t % 2 == 0 ? first : second;
          Address expected = current;
          Address proposal = Address.of(bytes("round " + round + " thread " + t));
          proposals.add(proposal);
          tries.add(() -> {
            start.await(10, TimeUnit.SECONDS);
            return via.compareAndSetHead("race", expected, proposal);
          });
        }
        List<Future<Boolean>> results = pool.invokeAll(tries);
        List<Address> winners = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          if (results.get(t).get()) {
            winners.add(proposals.get(t));
          }
        }
        assertThat(winners).as("winners of round %d", round).hasSize(1);
        current = winners.get(0);
        assertThat(first.head("race")).contains(current);
        assertThat(second.head("race")).contains(current);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void committedBlobsAndHeadsSurviveReopen() throws Exception {
    Store store = store();
    StoreId id = store.id();
    SplittableRandom rnd = new SplittableRandom(7);
    Map<Address, byte[]> blobs = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      byte[] b = random(rnd, 100 + rnd.nextInt(16 * 1024));
      blobs.put(store.put(b), b);
    }
    Address commit = store.put(bytes("commit"));
    assertThat(store.compareAndSetHead("main", null, commit)).isTrue();
    store.close();
    store.close(); // idempotent

    Store reopened = again(store);
    assertThat(reopened.id()).isEqualTo(id);
    assertThat(reopened.head("main")).contains(commit);
    for (Map.Entry<Address, byte[]> e : blobs.entrySet()) {
      assertThat(reopened.get(e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Test
  void aSecondHandleSeesCommitsOfTheFirst() throws Exception {
    Store writer = store();
    Store reader = again(writer);
    assertThat(reader.id()).isEqualTo(writer.id());
    Address blob = writer.put(bytes("node"));
    Address commit = writer.put(bytes("commit pointing at node"));
    writer.compareAndSetHead("main", null, commit);
    assertThat(reader.head("main")).contains(commit);
    assertThat(reader.get(commit)).isEqualTo(bytes("commit pointing at node"));
    assertThat(reader.get(blob)).isEqualTo(bytes("node"));
    assertThat(reader.contains(blob)).isTrue();
  }

  @Test
  void everyStoreHasItsOwnId() throws Exception {
    Store a = store();
    Store b = store();
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.locator()).isNotBlank();
  }

  @Test
  void forEachAddressListsEveryBlobAndDeleteRemovesOne() throws Exception {
    Store store = store();
    Set<Address> put = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      put.add(store.put(bytes("blob " + i)));
    }
    Set<Address> listed = new HashSet<>();
    store.forEachAddress(listed::add);
    assertThat(listed).isEqualTo(put);

    Address gone = store.put(bytes("blob 7"));
    assertThat(store.sweep(heads -> List.of(gone))).isEqualTo(1);
    assertThat(store.sweep(heads -> List.of(gone))).as("deleting a missing blob is a no-op").isZero();
    assertThat(store.contains(gone)).isFalse();
    assertThatThrownBy(() -> store.get(gone)).isInstanceOf(DatahopException.NotFound.class);
    listed.clear();
    store.forEachAddress(listed::add);
    assertThat(listed).hasSize(49).doesNotContain(gone);

    Store other = again(store);
    assertThat(other.contains(gone)).as("deleted as seen by another handle").isFalse();

    assertThat(store.put(bytes("blob 7"))).isEqualTo(gone);
    assertThat(store.get(gone)).isEqualTo(bytes("blob 7"));
    store.compareAndSetHead("main", null, gone);
    assertThat(again(store).get(gone)).as("a blob put again after delete is back for good").isEqualTo(bytes("blob 7"));
  }

  @Test
  void compactionAfterDeletesKeepsEveryLiveBlob() throws Exception {
    Store first = store();
    List<Address> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(first.put(bytes("blob number " + i)));
    }
    first.compareAndSetHead("main", null, all.get(0));
    first.close();
    Store store = again(first);
    store.sweep(heads -> all.subList(10, 30));
    assertThat(store.compact()).isGreaterThanOrEqualTo(0);
    for (Store s : List.of(store, again(store))) {
      for (int i = 0; i < 30; i++) {
        if (i < 10) {
          assertThat(s.get(all.get(i))).isEqualTo(bytes("blob number " + i));
        } else {
          assertThat(s.contains(all.get(i))).isFalse();
        }
      }
      assertThat(s.head("main")).contains(all.get(0));
    }
  }

  /**
   * A long-lived handle that once stored a blob must not trust its memory of it after gc in
   * another handle deleted it: putting the bytes again has to store them again.
   */
  @Test
  void aBlobDeletedThroughAnotherHandleIsStoredAgainByAPut() throws Exception {
    Store writer = store();
    Store gc = again(writer);
    Address a = writer.put(bytes("garbage now, needed again later"));
    writer.compareAndSetHead("main", null, a);
    assertThat(gc.get(a)).isEqualTo(bytes("garbage now, needed again later"));
    gc.sweep(heads -> List.of(a));
    gc.compact();
    assertThat(writer.put(bytes("garbage now, needed again later"))).isEqualTo(a);
    writer.compareAndSetHead("main", a, a);
    writer.close();
    for (Store s : List.of(gc, again(writer))) {
      assertThat(s.get(a)).isEqualTo(bytes("garbage now, needed again later"));
    }
  }

  /**
   * The rule that makes gc safe beside writers: a sweep that deleted a blob fails every
   * compare-and-set of a commit built before it (here one that reused the swept blob by
   * deduplication), in this handle and every other; the writer then puts it again and wins.
   */
  @Test
  void aSweepFailsTheCommitsBuiltBeforeIt() throws Exception {
    Store writer = store();
    Store gc = again(writer);
    Address x = writer.put(bytes("x, garbage soon"));
    assertThat(writer.compareAndSetHead("main", null, x)).isTrue();
    Address y = writer.put(bytes("y"));
    assertThat(writer.compareAndSetHead("main", x, y)).isTrue();
    long before = writer.gcGeneration();
    assertThat(writer.put(bytes("x, garbage soon"))).isEqualTo(x); // reused: no new copy
    assertThat(gc.sweep(heads -> {
      assertThat(heads).containsEntry("main", y);
      return List.of(x);
    })).isEqualTo(1);
    assertThat(writer.compareAndSetHead("main", y, x, before)).as("built before the sweep").isFalse();
    long after = writer.gcGeneration();
    assertThat(after).as("the failed compare-and-set saw the new generation").isNotEqualTo(before);
    writer.put(bytes("x, garbage soon"));
    assertThat(writer.compareAndSetHead("main", y, x, after)).isTrue();
    writer.close();
    Store reader = again(gc);
    assertThat(reader.get(x)).isEqualTo(bytes("x, garbage soon"));
    assertThat(reader.head("main")).contains(x);
  }

  @Test
  void aSweepThatDeletesNothingFailsNoCommit() throws Exception {
    Store writer = store();
    Store gc = again(writer);
    Address x = writer.put(bytes("x"));
    long before = writer.gcGeneration();
    assertThat(gc.sweep(heads -> List.of())).isZero();
    assertThat(gc.sweep(heads -> List.of(Address.of(bytes("never stored"))))).isZero();
    assertThat(writer.compareAndSetHead("main", null, x, before)).isTrue();
  }

  /** Random puts, gets, deletes, head moves and reopens against a map model. */
  @RepeatedTest(3)
  void randomOperationsAgreeWithAModel(RepetitionInfo info) throws Exception {
    long seed = Long.getLong("datahop.seed", System.nanoTime()) + info.getCurrentRepetition();
    System.out.println(getClass().getSimpleName() + " random seed " + seed + " (pin with -Ddatahop.seed)");
    SplittableRandom rnd = new SplittableRandom(seed);
    Store store = store();
    Map<Address, byte[]> model = new HashMap<>();
    Map<String, Address> heads = new HashMap<>();
    List<Address> known = new ArrayList<>();
    for (int step = 0; step < 300; step++) {
      String where = "seed " + seed + " step " + step;
      int op = rnd.nextInt(100);
      if (op < 40) {
        byte[] b = random(rnd, rnd.nextInt(4) == 0 ? rnd.nextInt(40) : rnd.nextInt(20_000));
        if (!known.isEmpty() && rnd.nextInt(5) == 0) {
          b = model.getOrDefault(known.get(rnd.nextInt(known.size())), b);
        }
        Address a = store.put(b);
        model.put(a, b);
        known.add(a);
      } else if (op < 65 && !known.isEmpty()) {
        Address a = known.get(rnd.nextInt(known.size()));
        byte[] expected = model.get(a);
        if (expected == null) {
          assertThat(store.contains(a)).as(where).isFalse();
          Store s = store;
          assertThatThrownBy(() -> s.get(a)).as(where).isInstanceOf(DatahopException.NotFound.class);
        } else {
          assertThat(store.get(a)).as(where).isEqualTo(expected);
        }
      } else if (op < 72 && !known.isEmpty()) {
        Address a = known.get(rnd.nextInt(known.size()));
        store.sweep(h -> List.of(a));
        model.remove(a);
      } else if (op < 92 && !known.isEmpty()) {
        String name = "h" + rnd.nextInt(3);
        Address next = known.get(rnd.nextInt(known.size()));
        Address expected = rnd.nextInt(4) == 0 ? known.get(rnd.nextInt(known.size())) : heads.get(name);
        boolean ok = store.compareAndSetHead(name, expected, next);
        boolean modelOk = java.util.Objects.equals(heads.get(name), expected);
        assertThat(ok).as(where).isEqualTo(modelOk);
        if (ok) {
          heads.put(name, next);
        }
      } else if (op < 96) {
        store.close();
        store = again(store);
      } else {
        for (String name : List.of("h0", "h1", "h2")) {
          assertThat(store.head(name)).as(where).isEqualTo(Optional.ofNullable(heads.get(name)));
        }
        Set<Address> listed = new HashSet<>();
        store.forEachAddress(listed::add);
        assertThat(listed).as(where).isEqualTo(model.keySet());
      }
    }
  }
}
