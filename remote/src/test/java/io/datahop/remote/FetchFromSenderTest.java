package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbConfig;
import io.datahop.store.Address;
import io.datahop.wire.StoreRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers without shared storage: the sender holds a {@code mem:} store that only its own registry
 * knows, the receiver has an empty registry and reads what a query touches through the sender.
 * Peers in one JVM, but every call crosses a real WebSocket connection (each peer has its own
 * registry, so nothing is shared but the bytes on the wire).
 */
@RemoteScope
@SuppressWarnings("unchecked")
class FetchFromSenderTest {
  static final String NAMES = "[:find ?n :where [?e :name ?n]]";

  static volatile Connection senderConn;

  final List<AutoCloseable> closers = new ArrayList<>();
  String uri;
  Connection conn;
  StoreRegistry senderRegistry;
  Peer sender;
  Peer receiver;

  @BeforeEach
  void start() throws Exception {
    uri = "mem:fetch-" + System.nanoTime();
    Databases.create(uri, DbConfig.defaults().withKeepHistory(true));
    conn = Databases.connect(uri);
    conn.transact("""
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""");
    conn.transact(List.of(Map.of("name", "Alice", "age", 30L), Map.of("name", "Bob", "age", 25L)));
    senderConn = conn;
    senderRegistry = new StoreRegistry().register(conn);
    sender = peer(Peer.builder().id(PeerId.of("sender")).registry(senderRegistry).serveBlobs(true));
    receiver = peer(Peer.builder().id(PeerId.of("receiver")).registry(new StoreRegistry()).fetchFromSender(true)).listen(0);
    sender.connect("127.0.0.1", receiver.port()).get(30, TimeUnit.SECONDS);
  }

  Peer peer(Peer.Builder b) {
    Peer p = b.build();
    closers.add(p);
    return p;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closers.reversed()) {
      c.close();
    }
    conn.close();
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aDbOfAStoreTheReceiverCannotOpenIsQueriedThroughTheSender() throws Exception {
    Db snapshot = conn.db();
    conn.transact(List.of(Map.of("name", "Charlie", "age", 35L)));
    Db current = conn.db();
    Object remote = await(sender.on(receiver.id(), () -> List.of(snapshot.q(NAMES), current.q(NAMES),
        current.q("[:find ?a . :where [?e :name \"Charlie\"] [?e :age ?a]]"))));
    assertThat((List<Object>) remote).containsExactly(snapshot.q(NAMES), current.q(NAMES), 35L);
    assertThat(receiver.fetchedStores()).singleElement().satisfies(s -> {
      assertThat(s.origin()).isEqualTo(sender.id());
      assertThat(s.id()).isEqualTo(conn.storeId());
      assertThat(s.locator()).isEqualTo(uri);
      assertThat(s.fetchStats().blobsFetched()).isPositive();
      assertThat(s.fetchStats().bytesFetched()).isPositive();
    });
  }

  @Test
  void nodesFetchedOnceAreServedFromTheNodeCache() throws Exception {
    Db db = conn.db();
    await(sender.on(receiver.id(), () -> db.q(NAMES)));
    PeerBackedStore store = receiver.fetchedStores().getFirst();
    FetchStats first = store.fetchStats();
    Object again = await(sender.on(receiver.id(), () -> db.q(NAMES)));
    assertThat(again).isEqualTo(db.q(NAMES));
    assertThat(store.fetchStats()).isEqualTo(first);
  }

  @Test
  void asOfAndHistoryViewsAreReadThroughTheSenderToo() throws Exception {
    Db before = conn.db();
    conn.transact(List.of(Map.of("name", "Dora", "age", 41L)));
    Db asOf = conn.db().asOf(before.basisT());
    Db history = conn.db().history();
    assertThat(await(sender.on(receiver.id(), () -> asOf.q(NAMES)))).isEqualTo(before.q(NAMES));
    assertThat((Set<Object>) await(sender.on(receiver.id(), () -> history.q(NAMES)))).contains(List.of("Dora"), List.of("Alice"));
  }

  @Test
  void aDbReturnedAsAResultIsReadThroughThePeerThatReturnedIt() throws Exception {
    PeerId from = sender.id();
    // the receiver asks the sender for its Db: the answer is decoded on the receiver's I/O thread
    Object names = await(sender.on(receiver.id(), () -> {
      Db db = Remote.on(from, () -> senderConn.db()).get(30, TimeUnit.SECONDS);
      return db.q(NAMES);
    }));
    assertThat(names).isEqualTo(conn.db().q(NAMES));
  }

  @Test
  void readingThroughThePeerOnItsOwnIoThreadFailsFastInsteadOfDeadlocking() throws Exception {
    // thenApply on a call's future runs where the answer arrives: the I/O thread
    CompletableFuture<Object> onIoThread = receiver.on(sender.id(), () -> {
      Thread.sleep(300);
      return senderConn.db();
    }).thenApply(db -> ((Db) db).q(NAMES));
    Throwable t = failure(onIoThread);
    assertThat(t).isInstanceOf(DatahopException.Unsupported.class).hasMessageContaining("thenApplyAsync");
    assertThat(((DatahopException) t).code()).isEqualTo("remote/fetch-on-io-thread");
    Object names = await(receiver.on(sender.id(), () -> senderConn.db()).thenApplyAsync(db -> ((Db) db).q(NAMES)));
    assertThat(names).isEqualTo(conn.db().q(NAMES));
  }

  @Test
  void aDbHopsOnFromAPeerThatReadsItThroughAnother() throws Exception {
    Peer third = peer(Peer.builder().id(PeerId.of("third")).registry(new StoreRegistry()).fetchFromSender(true)).listen(0);
    Peer middle = peer(Peer.builder().id(PeerId.of("middle")).registry(new StoreRegistry()).fetchFromSender(true).serveBlobs(true)).listen(0);
    sender.connect("127.0.0.1", middle.port()).get(30, TimeUnit.SECONDS);
    middle.connect("127.0.0.1", third.port()).get(30, TimeUnit.SECONDS);
    PeerId next = third.id();
    Db db = conn.db();
    Object names = await(sender.on(middle.id(), () -> Remote.on(next, () -> db.q(NAMES)).get(30, TimeUnit.SECONDS)));
    assertThat(names).isEqualTo(db.q(NAMES));
    assertThat(third.fetchedStores()).singleElement().satisfies(s -> assertThat(s.origin()).isEqualTo(middle.id()));
  }

  @Test
  void aSenderThatDoesNotServeBlobsGetsAClearRefusalAndTheReceiverKeepsServing() throws Exception {
    Peer stingy = peer(Peer.builder().id(PeerId.of("stingy")).registry(new StoreRegistry().register(conn)));
    stingy.connect("127.0.0.1", receiver.port()).get(30, TimeUnit.SECONDS);
    Db db = conn.db();
    Throwable t = failure(stingy.on(receiver.id(), () -> db.q(NAMES)));
    assertThat(t).isInstanceOf(DatahopException.Unsupported.class).hasMessageContaining("serveBlobs(true)");
    assertThat(((DatahopException) t).code()).isEqualTo("remote/blobs-not-served");
    long n = 41;
    assertThat(await(stingy.on(receiver.id(), () -> n + 1))).isEqualTo(42L);
  }

  @Test
  void aBlobThatDoesNotMatchItsAddressIsAFaultNeverData() throws Exception {
    Connection lying = Databases.readOnly(new TamperingStore(conn.store()));
    StoreRegistry liar = new StoreRegistry().register(lying);
    Peer bad = peer(Peer.builder().id(PeerId.of("liar")).registry(liar).serveBlobs(true));
    bad.connect("127.0.0.1", receiver.port()).get(30, TimeUnit.SECONDS);
    Db db = conn.db();
    Throwable t = failure(bad.on(receiver.id(), () -> db.q(NAMES)));
    assertThat(t).isInstanceOf(DatahopException.Fault.class).hasMessageContaining("does not hash to its address");
    assertThat(((DatahopException) t).code()).isEqualTo("store/damaged-blob");
  }

  @Test
  void aStoreReadThroughAPeerIsReadOnly() throws Exception {
    Db db = conn.db();
    await(sender.on(receiver.id(), () -> db.basisT()));
    PeerBackedStore store = receiver.fetchedStores().getFirst();
    assertThat(store.contains(db.ref().orElseThrow().commit())).isTrue();
    assertThat(store.contains(Address.of(new byte[] {1, 2, 3}))).isFalse();
    assertThatThrownBy(() -> store.put(new byte[] {1})).isInstanceOf(DatahopException.Unsupported.class)
        .hasMessageContaining("read-only").hasMessageContaining("sender");
    assertThatThrownBy(() -> store.head("main")).isInstanceOf(DatahopException.Unsupported.class);
    assertThatThrownBy(() -> store.compareAndSetHead("main", null, Address.of(new byte[] {1})))
        .isInstanceOf(DatahopException.Unsupported.class);
    assertThatThrownBy(() -> store.get(Address.of(new byte[] {9}))).isInstanceOf(DatahopException.NotFound.class)
        .hasMessageContaining("sender");
  }

  @Test
  void aReceiverThatDoesNotFetchStillRefusesAnUnknownStore() throws Exception {
    Peer plain = peer(Peer.builder().id(PeerId.of("plain")).registry(new StoreRegistry())).listen(0);
    sender.connect("127.0.0.1", plain.port()).get(30, TimeUnit.SECONDS);
    Db db = conn.db();
    Throwable t = failure(sender.on(plain.id(), Duration.ofSeconds(30), () -> db.basisT()));
    assertThat(t).isInstanceOf(DatahopException.NotFound.class).hasMessageContaining(uri);
    assertThat(plain.fetchedStores()).isEmpty();
  }

  static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the call to fail");
  }
}
