package io.datahop.bench;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.DbConfig;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.remote.FetchStats;
import io.datahop.remote.Peer;
import io.datahop.remote.PeerBackedStore;
import io.datahop.remote.PeerId;
import io.datahop.remote.RemoteScope;
import io.datahop.wire.StoreRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./datahop bench fetch [--datoms N] [--queries Q]}: what a peer without the store reads
 * for point queries. The sender builds an N-datom database (default 1M: N/4 people with
 * {@code :person/id} (unique), {@code :name}, {@code :age}, {@code :email}) in a file store in a
 * temporary directory and registers it only in its own registry; the receiver, another peer with
 * an empty registry that is never told the path, gets the Db as a captured value and runs point
 * queries, each reading through the sender. Both peers live in this JVM but talk over a real
 * WebSocket connection on loopback. Prints EDN: blobs and bytes fetched and milliseconds for the
 * first (cold) query, which also reads the commit record and the schema, and for later queries
 * on other random ids (upper tree levels already cached).
 *
 * <p>Opening a commit replays the change sets written since its index trees were last folded
 * (up to {@code datahop.fold.datoms}, default 200k, changes), so a cold first query also fetches
 * those; {@code --fold-datoms 0} folds at every commit and shows the cost of the trees alone.
 */
@RemoteScope
public final class FetchBench {
  static final String POINT = "[:find ?a . :in $ ?id :where [?e :person/id ?id] [?e :age ?a]]";

  private FetchBench() {}

  public static void main(String[] args) throws Exception {
    int datoms = 1_000_000;
    int queries = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--datoms" -> datoms = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        // read once, when the db classes load: must be set before any database is touched
        case "--fold-datoms" -> System.setProperty("datahop.fold.datoms", args[++i]);
        default -> {
          System.err.println("usage: ./datahop bench fetch [--datoms N] [--queries Q] [--fold-datoms D]");
          System.exit(2);
        }
      }
    }
    Path dir = Files.createTempDirectory("datahop-fetch-bench");
    String uri = "file:" + dir.resolve("db");
    try {
      run(uri, datoms, queries);
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(String uri, int datoms, int queries) throws Exception {
    Databases.create(uri, DbConfig.defaults());
    int people = datoms / 4;
    long t0 = System.nanoTime();
    try (Connection conn = Databases.connect(uri)) {
      conn.transact(Edn.read("""
          [{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
           {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
           {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
           {:db/ident :email :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]"""));
      SplittableRandom rnd = new SplittableRandom(7);
      for (int from = 0; from < people; from += 10_000) {
        List<Object> tx = new ArrayList<>();
        for (int i = from; i < Math.min(people, from + 10_000); i++) {
          tx.add(Map.of(Keyword.of("person/id"), (long) i, Keyword.of("name"), "person " + i,
              Keyword.of("age"), (long) rnd.nextInt(100), Keyword.of("email"), "p" + i + "@example.org"));
        }
        conn.transact(tx);
      }
      double buildS = (System.nanoTime() - t0) / 1e9;
      Db db = conn.db();
      StoreRegistry senderRegistry = new StoreRegistry().register(conn);
      try (Peer receiver = Peer.builder().id(PeerId.of("receiver")).registry(new StoreRegistry()).fetchFromSender(true).build().listen(0);
          Peer sender = Peer.builder().id(PeerId.of("sender")).registry(senderRegistry).serveBlobs(true).build()) {
        PeerId to = sender.connect("127.0.0.1", receiver.port()).get(30, TimeUnit.SECONDS);
        Map<Object, Object> out = new LinkedHashMap<>();
        out.put(Keyword.of("bench"), "fetch");
        out.put(Keyword.of("datoms"), (long) db.count(io.datahop.db.IndexType.EAVT));
        out.put(Keyword.of("build-seconds"), Math.round(buildS * 10) / 10.0);
        out.put(Keyword.of("fold-datoms"), System.getProperty("datahop.fold.datoms", "default"));
        SplittableRandom ids = new SplittableRandom(11);
        List<Object> rows = new ArrayList<>();
        FetchStats before = new FetchStats(0, 0);
        for (int q = 0; q < queries; q++) {
          long id = ids.nextInt(people);
          long q0 = System.nanoTime();
          Object age = sender.on(to, () -> db.q(POINT, id)).get(60, TimeUnit.SECONDS);
          double ms = (System.nanoTime() - q0) / 1e6;
          Object expected = db.q(POINT, id);
          if (!expected.equals(age)) {
            throw new AssertionError("person " + id + ": receiver answered " + age + ", sender " + expected);
          }
          PeerBackedStore store = receiver.fetchedStores().getFirst();
          FetchStats now = store.fetchStats();
          FetchStats d = now.minus(before);
          before = now;
          if (q < 3 || q == queries - 1) {
            Map<Object, Object> row = new LinkedHashMap<>();
            row.put(Keyword.of("query"), (long) q + 1);
            row.put(Keyword.of("blobs"), d.blobsFetched());
            row.put(Keyword.of("bytes"), d.bytesFetched());
            row.put(Keyword.of("ms"), Math.round(ms * 100) / 100.0);
            rows.add(row);
          }
        }
        out.put(Keyword.of("point-queries"), rows);
        FetchStats total = receiver.fetchedStores().getFirst().fetchStats();
        out.put(Keyword.of("total-blobs"), total.blobsFetched());
        out.put(Keyword.of("total-bytes"), total.bytesFetched());
        out.put(Keyword.of("queries"), (long) queries);
        System.out.println(Edn.writePretty(out));
      }
    }
  }
}
