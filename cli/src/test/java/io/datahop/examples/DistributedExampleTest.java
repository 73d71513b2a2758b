package io.datahop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.cli.Main;
import io.datahop.db.Connection;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.remote.Peer;
import io.datahop.remote.PeerId;
import io.datahop.remote.Remote;
import io.datahop.remote.RemoteScope;
import io.datahop.wire.FressianCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The seed's distributed example with every hop across a real process boundary: the server is a
 * child JVM running {@code datahop server}, this JVM is the client; both open one file store.
 * Covers the assertions of the seed's eight tests and more (as-of and history Dbs, a peer that
 * has not connected the store, the one-command demo).
 */
@RemoteScope
class DistributedExampleTest {
  static final Set<List<Object>> ALICE_AND_BOB = Set.of(List.of("Alice"), List.of("Bob"));

  @TempDir static Path dir;
  static Path path;
  static ChildProcess server;
  static Peer client;
  static PeerId serverId;
  static Connection conn;

  @BeforeAll
  static void start() throws Exception {
    path = dir.resolve("db");
    server = ChildProcess.start(dir.resolve("server.log"), Main.class, "server", "0", "--path", path.toString());
    client = Peer.builder().id(ExampleClient.ID).codec(FressianCodec.standard()).build();
    serverId = client.connect("127.0.0.1", server.port()).get(30, TimeUnit.SECONDS);
    conn = ExampleDb.connect(path);
  }

  @AfterAll
  static void stop() throws Exception {
    if (conn != null) {
      ExampleDb.release(conn);
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void theServerIsAnotherProcessNamedLikeTheSeeds() throws Exception {
    assertThat(serverId).isEqualTo(PeerId.of("server")).isEqualTo(ExampleServer.ID);
    long pid = await(client.on(serverId, () -> ProcessHandle.current().pid()));
    assertThat(pid).isEqualTo(server.process().pid()).isNotEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void simpleDemoSeesTheSnapshotNotTheConnection() throws Exception {
    Demos.SimpleDemo r = Demos.simpleDemo(client, serverId);
    assertThat(r.snapshotNames()).isEqualTo(ALICE_AND_BOB);
    assertThat(r.currentNames()).isEqualTo(Set.of(List.of("Alice"), List.of("Bob"), List.of("Charlie")));
    assertThat(r.snapshotCorrect()).isTrue();
    // the demo leaves the database as it found it, so it can run again
    assertThat(Demos.rows(conn.db().q(Demos.NAMES))).isEqualTo(ALICE_AND_BOB);
    assertThat(Demos.simpleDemo(client, serverId).snapshotCorrect()).isTrue();
  }

  @Test
  void queryOnClientReturnsNamesWithAges() throws Exception {
    assertThat(Demos.queryOnClient(client, serverId))
        .isEqualTo(Set.of(List.of("Alice", 30L), List.of("Bob", 25L)));
  }

  @Test
  void bidirectionalQueryCombinesBothSides() throws Exception {
    Demos.Bidirectional r = Demos.bidirectionalQuery(client, serverId);
    assertThat(r.namesFromServer()).isEqualTo(ALICE_AND_BOB);
    assertThat(r.agesFromClient()).isEqualTo(Set.of(List.of(30L), List.of(25L)));
  }

  @Test
  void aCapturedDbTravelsTransparentlyAndQueriesTheSameOnTheServer() throws Exception {
    Db db = conn.db();
    Object local = db.q(Demos.NAMES_AND_AGES);
    Object remote = await(client.on(serverId, () -> db.q(Demos.NAMES_AND_AGES)));
    assertThat(Demos.rows(remote)).isEqualTo(Demos.rows(local));
  }

  @Test
  void aDbSentThereAndBackIsAnEqualValueWithTheSameDatoms() throws Exception {
    Db db = conn.db();
    PeerId me = client.id();
    Db back = await(client.on(serverId, () -> Remote.on(me, () -> db).get(30, TimeUnit.SECONDS)));
    assertThat(back).isEqualTo(db);
    assertThat(back.basisT()).isEqualTo(db.basisT());
    assertThat(datoms(back)).isEqualTo(datoms(db));
    List<Object> onServer = await(client.on(serverId, () -> {
      List<Object> facts = new ArrayList<>();
      for (Datom d : db.datoms(IndexType.AEVT, ":name")) {
        facts.add(List.of(d.e(), d.v()));
      }
      return facts;
    }));
    List<Object> here = new ArrayList<>();
    for (Datom d : db.datoms(IndexType.AEVT, ":name")) {
      here.add(List.of(d.e(), d.v()));
    }
    assertThat(onServer).isEqualTo(here);
  }

  @Test
  void anAsOfDbQueriedRemotelyIgnoresLaterTransactions() throws Exception {
    Db before = conn.db();
    long t = before.basisT();
    conn.transact(List.of(Map.of(":name", "Dave", ":age", 41L)));
    try {
      Db asOf = conn.db().asOf(t);
      Object names = await(client.on(serverId, () -> asOf.q(Demos.NAMES)));
      assertThat(Demos.rows(names)).isEqualTo(ALICE_AND_BOB);
      Object now = await(client.on(serverId, () -> ExampleDb.connection().db().q(Demos.NAMES)));
      assertThat(Demos.rows(now)).contains(List.of("Dave"));
    } finally {
      Object dave = conn.db().q("[:find ?e . :where [?e :name \"Dave\"]]");
      conn.transact(List.of(List.of(io.datahop.edn.Keyword.of("db/retractEntity"), dave)));
    }
  }

  @Test
  void aHistoryDbQueriedRemotelySeesAssertionsAndRetractions() throws Exception {
    conn.transact(List.of(Map.of(":name", "Eve", ":age", 22L)));
    Object eve = conn.db().q("[:find ?e . :where [?e :name \"Eve\"]]");
    conn.transact(List.of(List.of(io.datahop.edn.Keyword.of("db/retractEntity"), eve)));
    Db history = conn.db().history();
    Object rows = await(client.on(serverId,
        () -> history.q("[:find ?added :where [?e :name \"Eve\" ?tx ?added]]")));
    assertThat(Demos.rows(rows)).isEqualTo(Set.of(List.of(true), List.of(false)));
  }

  @Test
  void aPeerWithoutTheStoreRefusesTheDbClearlyAndKeepsServing() throws Exception {
    try (ChildProcess stranger = ChildProcess.start(dir.resolve("stranger.log"), StrangerMain.class)) {
      PeerId strangerId = client.connect("127.0.0.1", stranger.port()).get(30, TimeUnit.SECONDS);
      Db db = conn.db();
      CompletableFuture<Object> call = client.on(strangerId, () -> db.q(Demos.NAMES));
      Throwable failure = null;
      try {
        call.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      assertThat(failure).isNotNull();
      String text = messages(failure);
      assertThat(text).contains(conn.storeId().toString()).contains(ExampleDb.uri(path));
      assertThat(await(client.on(strangerId, () -> "still serving"))).isEqualTo("still serving");
    }
  }

  @Test
  void theServerRunsOnlyTheDemosBodiesNotTheLocalOnlyOnesOfTheSameClass() throws Exception {
    Throwable failure = null;
    try {
      Demos.countPeopleHere(client, serverId);
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    assertThat(failure).isInstanceOfSatisfying(DatahopException.class, e -> assertThat(e.code()).isEqualTo("remote/lambda-not-allowed"));
    assertThat(failure.getMessage()).contains("countPeopleHere");
    assertThat(Demos.queryOnClient(client, serverId)).isEqualTo(Set.of(List.of("Alice", 30L), List.of("Bob", 25L)));
  }

  @Test
  void theDemoCommandRunsServerAndClientAndSucceeds() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      status = Main.run("demo", "--path", dir.resolve("demo-db").toString());
    } finally {
      System.setOut(saved);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(out).isZero();
    assertThat(out)
        .contains("[server] Server listening on port")
        .contains("[client] snapshot-correct: true")
        .contains("[client] names and ages, queried on the client: #{[\"Alice\" 30] [\"Bob\" 25]}")
        .contains("[demo] every demo answered correctly");
  }

  private static List<Datom> datoms(Db db) {
    List<Datom> all = new ArrayList<>();
    db.datoms(IndexType.EAVT).forEach(all::add);
    return all;
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
      if (c instanceof DatahopException d) {
        sb.append(d.context()).append('\n');
      }
    }
    return sb.toString();
  }
}
