package io.datahop.examples;

import io.datahop.db.Connection;
import io.datahop.edn.Edn;
import io.datahop.remote.Peer;
import io.datahop.remote.PeerBackedStore;
import io.datahop.remote.PeerId;
import io.datahop.wire.FressianCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The seed's client: connects to the server peer and to the shared store, runs the three demos
 * and prints what each answered. {@link #run} says whether every demo answered correctly.
 */
public final class ExampleClient {
  /** The client's peer id, as the seed's {@code (uuid :client)}. */
  public static final PeerId ID = PeerId.of("client");

  private static final Set<List<Object>> ALICE_AND_BOB = Set.of(List.of("Alice"), List.of("Bob"));
  private static final Set<List<Object>> NAMES_AND_AGES = Set.of(List.of("Alice", 30L), List.of("Bob", 25L));
  private static final Set<List<Object>> AGES = Set.of(List.of(30L), List.of(25L));

  private ExampleClient() {}

  /** Runs the demos against the server at {@code host:port}, printing to {@code out}. */
  public static boolean run(Path path, String host, int port, PrintStream out) throws Exception {
    return run(ExampleDb.uri(path), host, port, out);
  }

  /** Runs the demos against the server at {@code host:port}, sharing the store at {@code uri}. */
  public static boolean run(String uri, String host, int port, PrintStream out) throws Exception {
    return run(uri, host, port, out, b -> b);
  }

  /**
   * Like {@link #run(String, String, int, PrintStream)}, with {@code security} adding the shared
   * secret or TLS to the client peer's builder.
   */
  public static boolean run(String uri, String host, int port, PrintStream out, UnaryOperator<Peer.Builder> security) throws Exception {
    try (Peer peer = security.apply(Peer.builder().id(ID).codec(FressianCodec.standard())).build()) {
      out.println("Connecting to the server at " + host + ":" + port + " ...");
      PeerId server = peer.connect(host, port).get(30, TimeUnit.SECONDS);
      Connection conn = ExampleDb.connect(uri);
      out.println("Connected to server " + server.name() + " and to the shared store " + uri);
      try {
        return runDemos(peer, server, out);
      } finally {
        ExampleDb.release(conn);
      }
    }
  }

  /**
   * Runs the demos against the server at {@code host:port} without opening any store: the Dbs
   * the server sends are read through the server ({@link Peer.Builder#fetchFromSender}), which
   * must serve blobs. Prints how much was fetched.
   */
  public static boolean runFetching(String host, int port, PrintStream out) throws Exception {
    return runFetching(host, port, out, b -> b);
  }

  /** Like {@link #runFetching(String, int, PrintStream)}, with {@code security} applied to the client's builder. */
  public static boolean runFetching(String host, int port, PrintStream out, UnaryOperator<Peer.Builder> security) throws Exception {
    try (Peer peer = security.apply(Peer.builder().id(ID).codec(FressianCodec.standard()).fetchFromSender(true)).build()) {
      out.println("Connecting to the server at " + host + ":" + port + " ...");
      PeerId server = peer.connect(host, port).get(30, TimeUnit.SECONDS);
      out.println("Connected to server " + server.name() + "; no shared store: reading Dbs through the server");
      boolean ok = runDemos(peer, server, out);
      for (PeerBackedStore s : peer.fetchedStores()) {
        out.println("fetched from " + s.origin().name() + " for store " + s.locator() + ": "
            + s.fetchStats().blobsFetched() + " blobs, " + s.fetchStats().bytesFetched() + " bytes");
      }
      return ok;
    }
  }

  static boolean runDemos(Peer peer, PeerId server, PrintStream out) throws Exception {
    boolean ok = true;

    out.println();
    out.println("=== simple-demo: immutable snapshot ===");
    Demos.SimpleDemo simple = Demos.simpleDemo(peer, server);
    out.println("snapshot, queried on the client: " + edn(simple.snapshotNames()));
    out.println("current db on the server:        " + edn(simple.currentNames()));
    out.println("snapshot-correct: " + simple.snapshotCorrect());
    ok &= simple.snapshotCorrect() && simple.snapshotNames().equals(ALICE_AND_BOB);

    out.println();
    out.println("=== query-on-client ===");
    Set<List<Object>> rows = Demos.queryOnClient(peer, server);
    out.println("names and ages, queried on the client: " + edn(rows));
    ok &= check(out, rows.equals(NAMES_AND_AGES));

    out.println();
    out.println("=== bidirectional-query ===");
    Demos.Bidirectional both = Demos.bidirectionalQuery(peer, server);
    out.println("names (queried on the server): " + edn(both.namesFromServer()));
    out.println("ages (queried on the client):  " + edn(both.agesFromClient()));
    ok &= check(out, both.namesFromServer().equals(ALICE_AND_BOB) && both.agesFromClient().equals(AGES));

    out.println();
    out.println(ok ? "All demos answered correctly." : "SOME DEMOS ANSWERED WRONGLY.");
    return ok;
  }

  private static boolean check(PrintStream out, boolean correct) {
    out.println("correct: " + correct);
    return correct;
  }

  /** EDN with rows sorted, so the output reads the same every run. */
  static String edn(Set<List<Object>> rows) {
    List<List<Object>> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(Edn::write));
    return Edn.write(new LinkedHashSet<>(sorted));
  }
}
