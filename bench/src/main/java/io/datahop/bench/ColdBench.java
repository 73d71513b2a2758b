package io.datahop.bench;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.db.NodeTraffic;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.index.IndexStats;
import io.datahop.wire.FressianCodec;
import io.datahop.wire.StoreRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./datahop bench cold [--datoms N] [--queries Q] [--dir PATH]}: builds a file-store
 * database of about N datoms (default 1M), then a second JVM receives its encoded DbRef, connects
 * to the store cold and runs Q point queries (lookup by {@code :person/id}, then pull of
 * {@code :name}), printing the nodes each query read, milliseconds to the first answer and the
 * DbRef's size, as EDN. A store already at {@code --dir} is reused.
 */
public final class ColdBench {
  private ColdBench() {}

  private static final Keyword ID = Keyword.of("person/id");
  private static final Keyword NAME = Keyword.of("name");

  public static void main(String[] args) throws Exception {
    int datoms = 1_000_000;
    int queries = 20;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--datoms" -> datoms = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> {
          System.err.println("usage: ./datahop bench cold [--datoms N] [--queries Q] [--dir PATH]");
          System.exit(2);
        }
      }
    }
    boolean temp = dir == null;
    if (temp) {
      dir = Files.createTempDirectory("datahop-cold-");
    }
    String uri = "file:" + dir.resolve("db").toAbsolutePath();
    int entities = datoms / 2; // :person/id and :name per entity
    Map<Object, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of("bench"), "cold");
    out.put(Keyword.of("store"), uri);
    String hex;
    try {
      if (!Databases.exists(uri)) {
        out.put(Keyword.of("import"), load(uri, entities));
      }
      try (Connection conn = Databases.connect(uri)) {
        Db db = conn.db();
        byte[] frame = FressianCodec.standard().encode(db);
        hex = HexFormat.of().formatHex(frame);
        out.put(Keyword.of("datoms"), db.count(IndexType.EAVT));
        out.put(Keyword.of("db-ref-bytes"), (long) frame.length);
      }
      SplittableRandom rnd = new SplittableRandom(7);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xss4m");
      if (Runtime.version().feature() >= 24) {
        cmd.add("--enable-native-access=ALL-UNNAMED");
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Receiver.class.getName(), uri, hex));
      for (int q = 0; q < queries; q++) {
        cmd.add(Long.toString(rnd.nextLong(entities)));
      }
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      String line = text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
      if (exit != 0 || line == null) {
        throw new IllegalStateException("the receiving process failed (exit " + exit + "):\n" + text);
      }
      out.put(Keyword.of("receiver"), Edn.read(line));
    } finally {
      if (temp) {
        deleteTree(dir.toFile());
      }
    }
    System.out.println(Edn.writePretty(out));
  }

  private static Map<Object, Object> load(String uri, int entities) {
    Databases.create(uri);
    long start = System.nanoTime();
    try (Connection conn = Databases.connect(uri)) {
      conn.transact(Edn.read(
          "[{:db/ident :person/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
              + " :db/unique :db.unique/identity}"
              + " {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]"));
      List<Object> tx = new ArrayList<>();
      for (long i = 0; i < entities; i++) {
        tx.add(Map.of(ID, i, NAME, "person " + i));
        if (tx.size() == 50_000) {
          conn.transact(tx);
          tx.clear();
        }
      }
      if (!tx.isEmpty()) {
        conn.transact(tx);
      }
    }
    double s = (System.nanoTime() - start) / 1e9;
    return Map.of(Keyword.of("entities"), (long) entities, Keyword.of("seconds"), Math.round(s * 100) / 100.0);
  }

  private static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    if (!f.delete() && f.exists()) {
      System.err.println("could not delete " + f);
    }
  }

  /** The second process: {@code uri hexFrame id…}; prints one EDN map. */
  public static final class Receiver {
    public static void main(String[] args) {
      long t0 = System.nanoTime();
      Connection conn = Databases.connect(args[0]);
      StoreRegistry.global().register(conn);
      long connected = System.nanoTime();
      IndexStats base = NodeTraffic.of(conn.db());
      Db db = (Db) FressianCodec.standard().decode(HexFormat.of().parseHex(args[1]));
      long decoded = System.nanoTime();
      IndexStats afterDecode = NodeTraffic.of(db);
      List<Object> perQuery = new ArrayList<>();
      long[] nodes = new long[args.length - 2];
      double firstAnswerMs = -1;
      for (int i = 2; i < args.length; i++) {
        long id = Long.parseLong(args[i]);
        IndexStats before = NodeTraffic.of(db);
        long qs = System.nanoTime();
        Iterable<Datom> hit = db.datoms(IndexType.AVET, ID, id);
        Datom d = hit.iterator().next();
        Object name = db.pull("[:name]", d.e()).get(NAME);
        long qe = System.nanoTime();
        if (!("person " + id).equals(name)) {
          throw new AssertionError("wrong answer for " + id + ": " + name);
        }
        if (firstAnswerMs < 0) {
          firstAnswerMs = (qe - decoded) / 1e6;
        }
        nodes[i - 2] = NodeTraffic.of(db).minus(before).nodeLoads();
        perQuery.add(Map.of(Keyword.of("id"), id, Keyword.of("nodes-read"), nodes[i - 2],
            Keyword.of("ms"), Math.round((qe - qs) / 1e4) / 100.0));
      }
      long[] sorted = nodes.clone();
      Arrays.sort(sorted);
      Map<Object, Object> out = new LinkedHashMap<>();
      out.put(Keyword.of("connect-ms"), Math.round((connected - t0) / 1e4) / 100.0);
      out.put(Keyword.of("decode-ms"), Math.round((decoded - connected) / 1e4) / 100.0);
      out.put(Keyword.of("decode-nodes-read"), afterDecode.minus(base).nodeLoads());
      out.put(Keyword.of("first-answer-ms-after-decode"), Math.round(firstAnswerMs * 100) / 100.0);
      out.put(Keyword.of("depth"), Map.of(Keyword.of("avet"), NodeTraffic.depth(db, IndexType.AVET),
          Keyword.of("eavt"), NodeTraffic.depth(db, IndexType.EAVT)));
      out.put(Keyword.of("first-query-nodes-read"), nodes.length == 0 ? 0L : nodes[0]);
      out.put(Keyword.of("median-nodes-read"), sorted.length == 0 ? 0L : sorted[sorted.length / 2]);
      out.put(Keyword.of("max-nodes-read"), sorted.length == 0 ? 0L : sorted[sorted.length - 1]);
      out.put(Keyword.of("queries"), perQuery);
      System.out.println(Edn.write(out));
      conn.close();
    }
  }
}
