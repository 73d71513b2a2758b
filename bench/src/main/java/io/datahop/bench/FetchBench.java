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
import io.datahop.remote.Remote;
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
 * queries, each reading through the sender. The receiver is a second JVM started by this one
 * ({@code --receiver}), connected over WebSocket on loopback. Prints EDN: blobs and bytes fetched and milliseconds for the
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
    if (args.length > 0 && args[0].equals("--receiver")) {
      receiver();
      return;
    }
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

  /** The receiving JVM: no store, an empty registry; prints its port, runs until stdin closes. */
  private static void receiver() throws Exception {
    try (Peer receiver = Peer.builder().id(PeerId.of("receiver")).registry(new StoreRegistry()).fetchFromSender(true).build().listen(0)) {
      System.out.println("PORT " + receiver.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the bench ends
      }
    }
  }

  private static Process startReceiver() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), FetchBench.class.getName(), "--receiver")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    return p;
  }

  private static int portOf(Process p) throws Exception {
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.startsWith("PORT ")) {
        return Integer.parseInt(line.substring(5).trim());
      }
    }
    throw new IllegalStateException("the receiver JVM exited with " + p.waitFor());
  }

  /** Runs on the receiver: the counters of the one store it reads through the sender, as [blobs bytes]. */
  private static List<Long> fetched() {
    FetchStats s = Remote.peer().fetchedStores().stream().map(PeerBackedStore::fetchStats).findFirst().orElse(new FetchStats(0, 0));
    return List.of(s.blobsFetched(), s.bytesFetched());
  }

  @SuppressWarnings("unchecked")
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
      Process child = startReceiver();
      try (Peer sender = Peer.builder().id(PeerId.of("sender")).registry(senderRegistry).serveBlobs(true).build()) {
        PeerId to = sender.connect("127.0.0.1", portOf(child)).get(30, TimeUnit.SECONDS);
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
          List<Object> answer = sender.on(to, () -> List.of(db.q(POINT, id), fetched())).get(60, TimeUnit.SECONDS);
          double ms = (System.nanoTime() - q0) / 1e6;
          Object age = answer.get(0);
          Object expected = db.q(POINT, id);
          if (!expected.equals(age)) {
            throw new AssertionError("person " + id + ": receiver answered " + age + ", sender " + expected);
          }
          List<Long> counters = (List<Long>) answer.get(1);
          FetchStats now = new FetchStats(counters.get(0), counters.get(1));
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
        FetchStats total = before;
        out.put(Keyword.of("total-blobs"), total.blobsFetched());
        out.put(Keyword.of("total-bytes"), total.bytesFetched());
        out.put(Keyword.of("queries"), (long) queries);
        System.out.println(Edn.writePretty(out));
      } finally {
        child.getOutputStream().close();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      }
    }
  }
}
