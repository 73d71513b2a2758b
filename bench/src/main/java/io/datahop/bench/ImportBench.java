package io.datahop.bench;

import datomic.Peer;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./datahop bench import [--data FILE] [--runs N] [--only CASE]}: loads the people dataset into datahop
 * (file store, every commit durable) and into Datomic ({@code datomic:mem://}) in one JVM, three
 * ways: the whole file in one transaction, the people without {@code :follows} in one
 * transaction, and the same as 200 transactions of 100. Prints datoms/s (datoms in the
 * transactions' tx-data, divided by wall time; median of the runs after one warm-up) and the
 * ratio datahop/Datomic, as EDN.
 */
public final class ImportBench {
  private ImportBench() {}

  private static final Keyword FOLLOWS = Keyword.of("follows");

  public static void main(String[] args) throws Exception {
    Path file = Path.of("/work/shared/bench/people-20k.edn");
    int runs = 3;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> file = Path.of(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--data FILE, --runs N, --only CASE)");
      }
    }
    String text = Files.readString(file);
    Map<?, ?> data = (Map<?, ?>) Edn.read(text);
    List<?> schema = (List<?>) data.get(Keyword.of("schema"));
    List<?> people = (List<?>) data.get(Keyword.of("tx-data"));
    List<Object> noFollows = new ArrayList<>();
    for (Object p : people) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) p);
      m.remove(FOLLOWS);
      noFollows.add(m);
    }

    Object dData = datomic.Util.read(text);
    clojure.lang.IPersistentMap dm = (clojure.lang.IPersistentMap) dData;
    List<?> dSchema = (List<?>) dm.valAt(clojure.lang.Keyword.intern("schema"));
    List<?> dPeople = (List<?>) dm.valAt(clojure.lang.Keyword.intern("tx-data"));
    List<Object> dNoFollows = new ArrayList<>();
    for (Object p : dPeople) dNoFollows.add(((clojure.lang.IPersistentMap) p).without(clojure.lang.Keyword.intern("follows")));

    StringBuilder out = new StringBuilder("{");
    String[] cases = {"people-one-tx", "no-follows-one-tx", "no-follows-200x100"};
    for (String c : cases) {
      if (only != null && !only.equals(c)) {
        continue;
      }
      List<List<?>> batches = switch (c) {
        case "people-one-tx" -> List.of(people);
        case "no-follows-one-tx" -> List.of(noFollows);
        default -> chunks(noFollows, 100);
      };
      List<List<?>> dBatches = switch (c) {
        case "people-one-tx" -> List.of(dPeople);
        case "no-follows-one-tx" -> List.of(dNoFollows);
        default -> chunks(dNoFollows, 100);
      };
      double[] dh = new double[runs];
      double[] dt = new double[runs];
      datahop(schema, batches); // warm-up
      datomic(dSchema, dBatches);
      for (int r = 0; r < runs; r++) {
        dh[r] = datahop(schema, batches);
        dt[r] = datomic(dSchema, dBatches);
      }
      double h = median(dh);
      double d = median(dt);
      String line = String.format(" :%s {:datahop-datoms-per-s %.0f :datomic-datoms-per-s %.0f :ratio %.2f}", c, h, d, h / d);
      System.err.println(line.trim());
      out.append(line).append('\n');
    }
    out.append("}");
    System.out.println(out);
    System.exit(0);
  }

  private static List<List<?>> chunks(List<?> l, int n) {
    List<List<?>> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i += n) out.add(l.subList(i, Math.min(l.size(), i + n)));
    return out;
  }

  private static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /** Datoms per second loading {@code batches} into a fresh durable file store. */
  static double datahop(List<?> schema, List<List<?>> batches) throws Exception {
    Path dir = Files.createTempDirectory("datahop-import");
    String uri = "file:" + dir.resolve("db");
    try {
      Databases.create(uri);
      try (Connection c = Databases.connect(uri)) {
        c.transact(schema);
        long datoms = 0;
        long t0 = System.nanoTime();
        for (List<?> b : batches) datoms += c.transact(b).txData().size();
        long ns = System.nanoTime() - t0;
        return datoms / (ns / 1e9);
      }
    } finally {
      Databases.delete(uri);
      deleteTree(dir);
    }
  }

  /** Datoms per second loading {@code batches} into a fresh {@code datomic:mem://} database. */
  static double datomic(List<?> schema, List<List<?>> batches) throws Exception {
    String uri = "datomic:mem://import-" + System.nanoTime();
    Peer.createDatabase(uri);
    datomic.Connection c = Peer.connect(uri);
    try {
      c.transact(schema).get();
      long datoms = 0;
      long t0 = System.nanoTime();
      for (List<?> b : batches) {
        Map<?, ?> r = c.transact(b).get();
        datoms += ((Collection<?>) r.get(datomic.Connection.TX_DATA)).size();
      }
      long ns = System.nanoTime() - t0;
      return datoms / (ns / 1e9);
    } finally {
      c.release();
      Peer.deleteDatabase(uri);
    }
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (!Files.exists(p)) return;
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
