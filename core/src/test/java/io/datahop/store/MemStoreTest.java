package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemStoreTest extends StoreContractTest {
  private final List<String> uris = new ArrayList<>();

  @Override
  protected Store newStore() {
    String uri = "mem:test-" + StoreId.random();
    uris.add(uri);
    return Stores.open(uri, true);
  }

  @Override
  protected void damage(Store store, Address address) {
    ((MemStore) store).damageForTest(address, bytes("something else"));
  }

  @AfterEach
  void deleteStores() {
    uris.forEach(Stores::delete);
  }

  @Test
  void twoOpensOfOneNameShareOneStoreUntilDeleted() {
    Store a = Stores.open("mem:shared-by-name", true);
    Store b = Stores.open("mem:shared-by-name", false);
    Address x = a.put(bytes("x"));
    assertThat(b.get(x)).isEqualTo(bytes("x"));
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(Stores.exists("mem:shared-by-name")).isTrue();
    Stores.delete("mem:shared-by-name");
    assertThat(Stores.exists("mem:shared-by-name")).isFalse();
    Store fresh = Stores.open("mem:shared-by-name", true);
    assertThat(fresh.contains(x)).isFalse();
    assertThat(fresh.id()).isNotEqualTo(a.id());
    Stores.delete("mem:shared-by-name");
  }

  @Test
  void openingAMissingStoreWithoutCreateIsNotFound() {
    assertThatThrownBy(() -> Stores.open("mem:no-such-store", false))
        .isInstanceOf(DatahopException.NotFound.class)
        .hasMessageContaining("mem:no-such-store");
    assertThatThrownBy(() -> Stores.open("mem:", true)).isInstanceOf(DatahopException.Incorrect.class);
  }

  @Test
  void anonymousStoresAreSeparate() {
    MemStore a = new MemStore();
    MemStore b = new MemStore();
    Address x = a.put(bytes("x"));
    assertThat(b.contains(x)).isFalse();
    assertThat(a.id()).isNotEqualTo(b.id());
  }
}
