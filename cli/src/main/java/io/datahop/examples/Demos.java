package io.datahop.examples;

import io.datahop.db.Connection;
import io.datahop.db.Db;
import io.datahop.edn.Keyword;
import io.datahop.remote.Peer;
import io.datahop.remote.PeerId;
import io.datahop.remote.Remote;
import io.datahop.remote.RemoteScope;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The seed's three demos as ordinary Java methods. Each runs on the client peer and sends bodies
 * to the server with {@link Peer#on}; bodies hop back with {@link Remote#on}. {@code Db} values
 * are captured directly: they travel as a tiny pointer and the receiver rebuilds the snapshot
 * from the shared file store. There is no serialization code anywhere here.
 *
 * <p>Only the bodies written in the three demo methods (annotated {@link RemoteScope}) may run on
 * another peer; the class's other lambdas, such as {@link #countPeopleHere}'s, are local-only: a
 * peer that is sent one refuses it with {@code remote/lambda-not-allowed}.
 */
public final class Demos {
  static final String NAMES = "[:find ?n :where [?e :name ?n]]";
  static final String NAMES_AND_AGES = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";
  static final String AGES = "[:find ?a :where [?e :age ?a]]";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Demos() {}

  /** What {@link #simpleDemo} saw. */
  public record SimpleDemo(Set<List<Object>> snapshotNames, Set<List<Object>> currentNames) {
    /** The snapshot holds exactly Alice and Bob although Charlie was added after it was taken. */
    public boolean snapshotCorrect() {
      return snapshotNames.equals(Set.of(List.of("Alice"), List.of("Bob")))
          && currentNames.contains(List.of("Charlie"));
    }
  }

  /** What {@link #bidirectionalQuery} combined. */
  public record Bidirectional(Set<List<Object>> namesFromServer, Set<List<Object>> agesFromClient) {}

  /**
   * The server takes a snapshot, then adds Charlie, then sends the snapshot back to the client,
   * which queries it: the client sees only Alice and Bob. Charlie is retracted afterwards so
   * the demo can run again against the same server.
   */
  @RemoteScope
  public static SimpleDemo simpleDemo(Peer client, PeerId server) throws Exception {
    PeerId me = client.id();
    Map<String, Object> seen = await(client.on(server, DEADLINE, () -> {
      Connection conn = ExampleDb.connection();
      Db snapshot = conn.db();
      conn.transact(List.of(Map.of(":name", "Charlie", ":age", 35L)));
      Object current = conn.db().q(NAMES);
      Object onClient = Remote.on(me, () -> snapshot.q(NAMES)).get(30, TimeUnit.SECONDS);
      Object charlie = conn.db().q("[:find ?e . :where [?e :name \"Charlie\"]]");
      conn.transact(List.of(List.of(Keyword.of("db/retractEntity"), charlie)));
      return Map.of("snapshot", onClient, "current", current);
    }));
    return new SimpleDemo(rows(seen.get("snapshot")), rows(seen.get("current")));
  }

  /** The server sends its current Db to the client, which runs a multi-field query on it. */
  @RemoteScope
  public static Set<List<Object>> queryOnClient(Peer client, PeerId server) throws Exception {
    PeerId me = client.id();
    return rows(await(client.on(server, DEADLINE, () -> {
      Db db = ExampleDb.connection().db();
      return Remote.on(me, () -> db.q(NAMES_AND_AGES)).get(30, TimeUnit.SECONDS);
    })));
  }

  /** The server queries names, the client queries ages of the same Db; the server combines. */
  @RemoteScope
  public static Bidirectional bidirectionalQuery(Peer client, PeerId server) throws Exception {
    PeerId me = client.id();
    Map<String, Object> both = await(client.on(server, DEADLINE, () -> {
      Db db = ExampleDb.connection().db();
      Object names = db.q(NAMES);
      Object ages = Remote.on(me, () -> db.q(AGES)).get(30, TimeUnit.SECONDS);
      return Map.of("names", names, "ages", ages);
    }));
    return new Bidirectional(rows(both.get("names")), rows(both.get("ages")));
  }

  /**
   * Counts the people in the example database as {@code target} sees it, by a body that is not
   * remote-callable (this method is not {@link RemoteScope}): it runs when {@code target} is
   * {@code peer} itself, and any other peer refuses it.
   */
  public static long countPeopleHere(Peer peer, PeerId target) throws Exception {
    return await(peer.on(target, DEADLINE, () -> ((Collection<?>) ExampleDb.connection().db().q(NAMES)).size()));
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  static Set<List<Object>> rows(Object relation) {
    return Set.copyOf((Collection<List<Object>>) relation);
  }
}
