package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbConfig;
import io.datahop.wire.StoreRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A captured {@link Db} travels as a DbRef: both processes open the same file store and register
 * it, and the server process queries the very snapshot the client captured.
 */
@RemoteScope
@SuppressWarnings("unchecked")
class DbProcessTest {
  static final String NAMES = "[:find ?n :where [?e :name ?n]]";
  static final String PEOPLE = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";

  @TempDir static Path dir;
  static Connection conn;
  static ChildPeer child;
  static Peer client;
  static PeerId server;

  @BeforeAll
  static void start() throws Exception {
    String uri = "file:" + dir.resolve("people");
    Databases.create(uri, DbConfig.defaults().withKeepHistory(true));
    conn = Databases.connect(uri);
    conn.transact("""
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""");
    conn.transact(List.of(Map.of("name", "Alice", "age", 30L), Map.of("name", "Bob", "age", 25L)));
    StoreRegistry registry = new StoreRegistry().register(conn);
    child = ChildPeer.start(dir, "server", 0, "--store", uri);
    client = Peer.builder().id(PeerId.of("client")).registry(registry).build();
    server = client.connect("127.0.0.1", child.port).get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (child != null) {
      child.close();
    }
    if (conn != null) {
      conn.close();
    }
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aSnapshotCapturedHereIsQueriedInTheServerProcessAsItWas() throws Exception {
    Db snapshot = conn.db();
    conn.transact(List.of(Map.of("name", "Charlie", "age", 35L)));
    Db current = conn.db();
    Object remote = await(client.on(server, () -> List.of(ProcessHandle.current().pid(), snapshot.q(NAMES), current.q(NAMES))));
    List<?> answer = (List<?>) remote;
    assertThat(answer.get(0)).isEqualTo(child.process.pid());
    assertThat(answer.get(1)).isEqualTo(Set.of(List.of("Alice"), List.of("Bob")));
    assertThat((Set<Object>) answer.get(2)).contains(List.of("Alice"), List.of("Bob"), List.of("Charlie"));
    assertThat(answer.get(1)).isEqualTo(snapshot.q(NAMES));
  }

  @Test
  void aDbHopsToTheServerAndBackAndBothSidesQueryIt() throws Exception {
    Db db = conn.db();
    PeerId me = client.id();
    Object result = await(client.on(server, () -> {
      Object ages = db.q("[:find ?a :where [?e :age ?a]]");
      return Remote.on(me, () -> List.of(db.q(PEOPLE), ages, db.basisT())).join();
    }));
    List<?> answer = (List<?>) result;
    assertThat(answer.get(0)).isEqualTo(db.q(PEOPLE));
    assertThat(answer.get(1)).isEqualTo(db.q("[:find ?a :where [?e :age ?a]]"));
    assertThat(answer.get(2)).isEqualTo(db.basisT());
  }

  @Test
  void capturingTheConnectionInsteadOfItsDbIsRefusedAtTheCallSite() {
    Connection local = conn;
    assertThatThrownBy(() -> client.on(server, () -> local.db().basisT()))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("cannot capture " + local.getClass().getName())
        .hasMessageContaining("capture conn.db()");
  }

  @Test
  void asOfAndHistoryViewsTravelToo() throws Exception {
    Db before = conn.db();
    conn.transact(List.of(Map.of("name", "Dora", "age", 41L)));
    Db asOf = conn.db().asOf(before.basisT());
    Db history = conn.db().history();
    Object names = await(client.on(server, () -> asOf.q(NAMES)));
    assertThat(names).isEqualTo(before.q(NAMES)).asString().doesNotContain("Dora");
    Object historic = await(client.on(server, () -> history.q("[:find ?n :where [?e :name ?n]]")));
    assertThat((Set<Object>) historic).contains(List.of("Dora"), List.of("Alice"));
  }

  @Test
  void aDbOfAStoreTheServerDoesNotHaveGetsAClearErrorAndTheServerKeepsServing() throws Exception {
    String uri = "mem:only-here-" + System.nanoTime();
    Databases.create(uri);
    try (Connection local = Databases.connect(uri)) {
      Db db = local.db();
      CompletableFuture<Long> call = client.on(server, () -> db.basisT());
      Throwable t;
      try {
        call.get(30, TimeUnit.SECONDS);
        throw new AssertionError("expected a refusal");
      } catch (ExecutionException e) {
        t = e.getCause();
      }
      assertThat(t).isInstanceOf(DatahopException.NotFound.class);
      assertThat(t).hasMessageContaining(local.storeId().toString()).hasMessageContaining(uri);
      long n = 41;
      assertThat(await(client.on(server, () -> n + 1))).isEqualTo(42L);
    }
  }
}
