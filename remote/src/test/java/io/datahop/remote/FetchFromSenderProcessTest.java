package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbConfig;
import io.datahop.wire.StoreRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Db of a {@code mem:} store — which no other process can open — queried in a second JVM that
 * reads the nodes it needs through this process ({@code serveBlobs} here, {@code fetchFromSender}
 * there).
 */
@RemoteScope
@SuppressWarnings("unchecked")
class FetchFromSenderProcessTest {
  static final String AGE_OF = "[:find ?a . :in $ ?id :where [?e :person/id ?id] [?e :age ?a]]";

  @TempDir static Path dir;
  static Connection conn;
  static ChildPeer child;
  static Peer sender;
  static PeerId reader;

  @BeforeAll
  static void start() throws Exception {
    String uri = "mem:only-in-the-sender-" + System.nanoTime();
    Databases.create(uri, DbConfig.defaults());
    conn = Databases.connect(uri);
    conn.transact("""
        [{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]""");
    for (int from = 0; from < 20_000; from += 5_000) {
      List<Object> tx = new ArrayList<>();
      for (long i = from; i < from + 5_000; i++) {
        tx.add(Map.of("person/id", i, "age", i % 97));
      }
      conn.transact(tx);
    }
    child = ChildPeer.start(dir, "reader", 0, "--fetch", "true");
    sender = Peer.builder().id(PeerId.of("sender")).registry(new StoreRegistry().register(conn)).serveBlobs(true).build();
    reader = sender.connect("127.0.0.1", child.port).get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (sender != null) {
      sender.close();
    }
    if (child != null) {
      child.close();
    }
    if (conn != null) {
      conn.close();
    }
  }

  @Test
  void pointQueriesInAnotherProcessAreAnsweredThroughTheSenderAndCachedThere() throws Exception {
    Db db = conn.db();
    List<Object> answers = new ArrayList<>();
    List<Long> blobs = new ArrayList<>();
    for (long id : new long[] {17, 12_345, 19_999}) {
      List<Object> r = (List<Object>) sender.on(reader, () -> {
        FetchStats before = Remote.peer().fetchedStores().stream().map(PeerBackedStore::fetchStats)
            .findFirst().orElse(new FetchStats(0, 0));
        Object age = db.q(AGE_OF, id);
        FetchStats after = Remote.peer().fetchedStores().getFirst().fetchStats();
        return List.of(ProcessHandle.current().pid(), age, after.minus(before).blobsFetched());
      }).get(30, TimeUnit.SECONDS);
      assertThat(r.get(0)).isEqualTo(child.process.pid());
      answers.add(r.get(1));
      blobs.add((Long) r.get(2));
    }
    assertThat(answers).containsExactly(17L % 97, 12_345L % 97, 19_999L % 97);
    // the first query also reads the commit, the schema and the change sets since the last
    // fold; later point queries fetch at most the few nodes they touch that are not cached yet
    assertThat(blobs.get(0)).isPositive();
    assertThat(blobs.get(1)).isBetween(0L, 8L);
    assertThat(blobs.get(2)).isBetween(0L, 8L);
    // the same query again fetches nothing
    long again = (Long) sender.on(reader, () -> {
      FetchStats before = Remote.peer().fetchedStores().getFirst().fetchStats();
      db.q(AGE_OF, 17L);
      return Remote.peer().fetchedStores().getFirst().fetchStats().minus(before).blobsFetched();
    }).get(30, TimeUnit.SECONDS);
    assertThat(again).isZero();
  }
}
