package io.datahop.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.StoreContractTest;
import io.datahop.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite files (WAL mode). */
class SqliteStoreTest extends StoreContractTest {
  @TempDir Path tmp;
  private int files;

  @Override
  protected Store newStore() {
    return Stores.open("jdbc:sqlite:" + tmp.resolve("store" + files++ + ".db"), true);
  }

  @Override
  protected int casRounds() {
    return 20;
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

  @Test
  void theDatabaseRunsInWalModeWithFullSync() throws Exception {
    try (Store store = newStore();
        Connection c = ((JdbcStore) store).dataSource().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
        r.next();
        assertThat(r.getString(1)).isEqualToIgnoringCase("wal");
      }
      try (ResultSet r = s.executeQuery("PRAGMA synchronous")) {
        r.next();
        assertThat(r.getInt(1)).as("2 = FULL").isEqualTo(2);
      }
    }
  }

  @Test
  void urisAreCheckedAndMissingStoresAreNotCreatedByLooking() {
    String missing = "jdbc:sqlite:" + tmp.resolve("absent.db");
    assertThat(Stores.exists(missing)).isFalse();
    assertThatThrownBy(() -> Stores.open(missing, false)).isInstanceOf(DatahopException.NotFound.class);
    assertThat(tmp.resolve("absent.db")).doesNotExist();
    assertThatThrownBy(() -> Stores.open("jdbc:sqlite::memory:", true))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("mem:NAME");
    assertThatThrownBy(() -> Stores.open("jdbc:oracle:thin:@x", true))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("jdbc:sqlite:");

    String url = "jdbc:sqlite:" + tmp.resolve("made.db");
    try (Store store = Stores.open(url, true)) {
      assertThat(Stores.exists(url)).isTrue();
    }
    Stores.delete(url);
    assertThat(Stores.exists(url)).isFalse();
  }
}
