package io.datahop.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.edn.Keyword;
import io.datahop.store.Address;
import io.datahop.store.StoreId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A Db travels as its DbRef and comes back through the receiving process's StoreRegistry. */
class DbRefWireTest {
  private static final StoreId STORE = StoreId.parse("7f9c1a52-3b7e-4c1d-9a64-0d8e2f6b5a31");
  private static final String LOCATOR = "file:/tmp/datahop-distributed-test";
  private static final Address COMMIT = Address.of("commit 42".getBytes());

  private static DbRef ref(Long asOf, Long since, boolean history) {
    return new DbRef(STORE, LOCATOR, COMMIT, asOf, since, history);
  }

  private static final List<DbRef> VIEWS =
      List.of(ref(null, null, false), ref(1000L, null, false), ref(null, 7L, false), ref(null, null, true),
          ref(Long.MAX_VALUE, Long.MIN_VALUE, true));

  @Test
  void rawDbRefsRoundTripForEveryView() {
    FressianCodec raw = FressianCodec.builder().resolveDbRefs(false).build();
    for (DbRef r : VIEWS) {
      assertThat(raw.decode(raw.encode(r))).isEqualTo(r);
      assertThat(raw.decode(raw.encode(new RefOnlyDb(r)))).isEqualTo(r);
    }
  }

  @Test
  void aDecodedDbIsRebuiltByTheRegisteredConnectionForEveryView() {
    StoreRegistry registry = new StoreRegistry();
    RefOnlyConnection conn = new RefOnlyConnection(STORE, LOCATOR);
    registry.register(conn);
    FressianCodec codec = FressianCodec.builder().registry(registry).build();
    for (DbRef r : VIEWS) {
      Object back = codec.decode(codec.encode(Map.of(Keyword.of("db"), new RefOnlyDb(r))));
      Db db = (Db) ((Map<?, ?>) back).get(Keyword.of("db"));
      assertThat(db.ref()).contains(r);
      assertThat(db.isHistory()).isEqualTo(r.history());
    }
    assertThat(conn.dbAtCalls).hasValue(VIEWS.size());
    Db base = new RefOnlyDb(ref(null, null, false));
    Db view = (Db) codec.decode(codec.encode(base.asOf(5L).history()));
    assertThat(view.ref()).contains(ref(5L, null, true));
  }

  @Test
  void encodedSizeIsSmallForEveryView() {
    FressianCodec codec = FressianCodec.standard();
    // t values of a database with a million transactions, and a 34-character locator
    for (DbRef r : List.of(ref(null, null, false), ref(1L << 20, null, false), ref(null, 1L << 20, true))) {
      assertThat(codec.encode(new RefOnlyDb(r)).length).as("%s", r).isLessThan(100);
    }
  }

  @Test
  void anUnregisteredStoreNamesTheStoreItsLocatorAndHowToConnect() {
    FressianCodec codec = FressianCodec.builder().registry(new StoreRegistry()).build();
    byte[] bytes = codec.encode(new RefOnlyDb(ref(null, null, false)));
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOfSatisfying(
            DatahopException.NotFound.class,
            e -> {
              assertThat(e.code()).isEqualTo("wire/unknown-store");
              assertThat(e.context()).containsEntry("store-id", STORE.toString()).containsEntry("locator", LOCATOR);
            })
        .hasMessageContaining(STORE.toString())
        .hasMessageContaining("open a Connection to " + LOCATOR)
        .hasMessageContaining("StoreRegistry.global().register(conn)");
  }

  @Test
  void unregisteringMakesTheStoreUnknownAgain() {
    StoreRegistry registry = new StoreRegistry();
    RefOnlyConnection conn = new RefOnlyConnection(STORE, LOCATOR);
    registry.register(conn);
    assertThat(registry.lookup(STORE)).contains(conn);
    assertThat(registry.unregister(new RefOnlyConnection(STORE, LOCATOR))).isFalse();
    assertThat(registry.unregister(conn)).isTrue();
    assertThat(registry.lookup(STORE)).isEmpty();
    assertThatThrownBy(() -> registry.db(ref(null, null, false))).isInstanceOf(DatahopException.NotFound.class);
  }

  @Test
  void autoConnectIsOffByDefaultAndLimitedToAllowedPrefixes() {
    AtomicInteger opened = new AtomicInteger();
    StoreRegistry registry =
        new StoreRegistry()
            .connector(uri -> {
              opened.incrementAndGet();
              return new RefOnlyConnection(STORE, uri);
            });
    DbRef r = ref(null, null, false);
    assertThatThrownBy(() -> registry.db(r)).isInstanceOf(DatahopException.NotFound.class);
    assertThat(opened).hasValue(0);

    registry.allowAutoConnect("file:/var/");
    assertThatThrownBy(() -> registry.db(r)).isInstanceOf(DatahopException.NotFound.class);
    assertThat(opened).hasValue(0);

    registry.allowAutoConnect("file:/tmp/");
    assertThat(registry.db(r).ref()).contains(r);
    assertThat(registry.db(r).ref()).contains(r);
    assertThat(opened).as("connected once, then registered").hasValue(1);
    assertThat(registry.lookup(STORE)).isPresent();

    DbRef sneaky = new DbRef(StoreId.random(), "file:/tmp/../etc/x", COMMIT, null, null, false);
    assertThatThrownBy(() -> registry.db(sneaky)).isInstanceOf(DatahopException.NotFound.class);
    assertThat(opened).hasValue(1);
  }

  @Test
  void autoConnectRefusesAStoreWhoseIdDiffers() {
    RefOnlyConnection other = new RefOnlyConnection(StoreId.random(), LOCATOR);
    StoreRegistry registry = new StoreRegistry().allowAutoConnect("file:").connector(uri -> other);
    assertThatThrownBy(() -> registry.db(ref(null, null, false)))
        .isInstanceOf(DatahopException.NotFound.class)
        .hasMessageContaining("but the store there is " + other.storeId());
    assertThat(other.closed).isTrue();
    assertThat(registry.lookup(STORE)).isEmpty();
  }

  @Test
  void aConnectorThatFailsIsAFaultNotAWireException() {
    StoreRegistry registry =
        new StoreRegistry().allowAutoConnect("file:").connector(uri -> {
          throw new IllegalStateException("disk on fire");
        });
    FressianCodec codec = FressianCodec.builder().registry(registry).build();
    byte[] bytes = codec.encode(ref(null, null, false));
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOfSatisfying(DatahopException.Fault.class, e -> assertThat(e.code()).isEqualTo("wire/db-rebuild-failed"))
        .hasMessageContaining("disk on fire")
        .hasMessageContaining(LOCATOR);
  }

  @Test
  void aSpeculativeDbRefusesToEncode() {
    assertThatThrownBy(() -> FressianCodec.standard().encode(List.of(new RefOnlyDb(null))))
        .isInstanceOfSatisfying(DatahopException.Incorrect.class, e -> assertThat(e.code()).isEqualTo("wire/speculative-db"))
        .hasMessageContaining("a speculative Db (from with) cannot travel");
  }

  @Test
  void aDbRefWithAMalformedCommitIsAWireException() {
    FressianCodec raw = FressianCodec.builder().resolveDbRefs(false).build();
    byte[] good = raw.encode(ref(null, null, false));
    // the 32-byte commit is written as BYTES (0xD9) with count 32 (0x20): say 31 instead
    byte[] bad = good.clone();
    for (int i = 0; i + 1 < bad.length; i++) {
      if ((bad[i] & 0xff) == 0xD9 && bad[i + 1] == 32) {
        bad[i + 1] = 31;
      }
    }
    assertThatThrownBy(() -> raw.decode(bad)).isInstanceOf(WireException.class);
  }
}
