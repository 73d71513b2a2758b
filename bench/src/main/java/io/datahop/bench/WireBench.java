package io.datahop.bench;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.wire.FressianCodec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.fressian.FressianReader;

/**
 * {@code ./datahop bench wire [--seconds S] [--small N] [--large N]}: encode and decode throughput
 * of typical values (entity maps, datom lists, query results) in MB/s and values/s, with
 * org.fressian's own reader on the same bytes as the reference, and the encoded size of a Db for
 * a small and a large database (equal sizes show it does not grow with the data). Prints EDN.
 */
public final class WireBench {
  private WireBench() {}

  private static final String[] NAMES = {"Ivan", "Petr", "Oleg", "Nora", "Lelo", "Muna", "Beslav", "Kalo"};

  public static void main(String[] args) throws Exception {
    double seconds = 2;
    int small = 1_000;
    int large = 1_000_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--small" -> small = Integer.parseInt(args[++i]);
        case "--large" -> large = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: ./datahop bench wire [--seconds S] [--small DATOMS] [--large DATOMS]");
          System.exit(2);
        }
      }
    }
    FressianCodec codec = FressianCodec.builder().resolveDbRefs(false).build();
    Map<Object, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of("bench"), "wire");
    out.put(Keyword.of("seconds-per-case"), seconds);
    List<Object> cases = new ArrayList<>();
    cases.add(measure("entity-maps", 1_000, WireBench::entityMaps, codec, seconds));
    cases.add(measure("datoms", 10_000, WireBench::datoms, codec, seconds));
    cases.add(measure("query-result", 10_000, WireBench::queryResult, codec, seconds));
    out.put(Keyword.of("cases"), cases);
    Map<Object, Object> sizes = new LinkedHashMap<>();
    sizes.put(Keyword.of(small + "-datoms"), dbRefSize(codec, "small", small));
    sizes.put(Keyword.of(large + "-datoms"), dbRefSize(codec, "large", large));
    out.put(Keyword.of("db-ref-bytes"), sizes);
    System.out.println(Edn.writePretty(out));
  }

  /** {:name .. :last-name .. :age .. :sex .. :salary .. :person/id ..} × n, like people-20k. */
  static Object entityMaps(int n) {
    SplittableRandom rnd = new SplittableRandom(1);
    List<Object> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(Keyword.of("name"), NAMES[rnd.nextInt(NAMES.length)]);
      m.put(Keyword.of("last-name"), NAMES[rnd.nextInt(NAMES.length)] + "ov");
      m.put(Keyword.of("age"), (long) rnd.nextInt(100));
      m.put(Keyword.of("sex"), Keyword.of(rnd.nextBoolean() ? "male" : "female"));
      m.put(Keyword.of("salary"), (long) rnd.nextInt(10_000, 100_000));
      m.put(Keyword.of("person/id"), (long) i);
      l.add(m);
    }
    return l;
  }

  static Object datoms(int n) {
    SplittableRandom rnd = new SplittableRandom(2);
    List<Object> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object v = switch (i % 3) {
        case 0 -> NAMES[rnd.nextInt(NAMES.length)];
        case 1 -> (long) rnd.nextInt(100);
        default -> 17592186045418L + rnd.nextInt(20_000);
      };
      l.add(new Datom(17592186045418L + i / 3, 72 + i % 3, v, 13194139534312L + i / 1000, true));
    }
    return l;
  }

  static Object queryResult(int n) {
    SplittableRandom rnd = new SplittableRandom(3);
    Set<Object> s = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      s.add(List.of(17592186045418L + i, NAMES[rnd.nextInt(NAMES.length)], (long) rnd.nextInt(100),
          Keyword.of(rnd.nextBoolean() ? "male" : "female")));
    }
    return s;
  }

  private static Map<Object, Object> measure(
      String name, int values, java.util.function.IntFunction<Object> make, FressianCodec codec, double seconds)
      throws Exception {
    Object value = make.apply(values);
    byte[] bytes = codec.encode(value);
    if (!Edn.write(codec.decode(bytes)).equals(Edn.write(value))) {
      throw new AssertionError(name + " does not round trip");
    }
    double encode = opsPerSecond(() -> codec.encode(value), seconds);
    double decode = opsPerSecond(() -> codec.decode(bytes), seconds);
    // baseline: the org.fressian library's own reader on the same bytes (Fressian, not Java
    // serialization); datahop's decoder must beat it while staying hostile-input safe
    double fressian = opsPerSecond(() -> {
      try {
        return new FressianReader(new ByteArrayInputStream(bytes)).readObject();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, seconds);
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("case"), name);
    m.put(Keyword.of("values"), (long) values);
    m.put(Keyword.of("bytes"), (long) bytes.length);
    m.put(Keyword.of("encode-mb-s"), round(encode * bytes.length / 1e6));
    m.put(Keyword.of("encode-values-s"), Math.round(encode * values));
    m.put(Keyword.of("decode-mb-s"), round(decode * bytes.length / 1e6));
    m.put(Keyword.of("decode-values-s"), Math.round(decode * values));
    m.put(Keyword.of("org-fressian-decode-mb-s"), round(fressian * bytes.length / 1e6));
    m.put(Keyword.of("decode-vs-org-fressian"), round(decode / fressian));
    return m;
  }

  /** Runs {@code op} for a warm-up and then {@code seconds}, returning operations per second. */
  private static double opsPerSecond(Supplier<Object> op, double seconds) {
    long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    Object sink = null;
    while (System.nanoTime() < warmEnd) {
      sink = op.get();
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long ops = 0;
    long now;
    do {
      sink = op.get();
      ops++;
      now = System.nanoTime();
    } while (now < end);
    if (sink == null) {
      throw new AssertionError();
    }
    return ops / ((now - start) / 1e9);
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  /** Encoded size of the Db of an in-memory database holding about {@code datoms} datoms. */
  private static Object dbRefSize(FressianCodec codec, String label, int datoms) {
    String uri = "mem:bench-" + label; // equal-length locators, so only the database size differs
    try {
      Databases.create(uri);
      try (Connection conn = Databases.connect(uri)) {
        conn.transact(Edn.read("[{:db/ident :k :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
            + " {:db/ident :s :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]"));
        int perEntity = 2;
        int entities = datoms / perEntity;
        int batch = 10_000;
        for (int from = 0; from < entities; from += batch) {
          List<Object> tx = new ArrayList<>();
          for (int i = from; i < Math.min(entities, from + batch); i++) {
            tx.add(Map.of(Keyword.of("k"), (long) i, Keyword.of("s"), "s" + i));
          }
          conn.transact(tx);
        }
        Db db = conn.db();
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(Keyword.of("current"), (long) codec.encode(db).length);
        m.put(Keyword.of("as-of"), (long) codec.encode(db.asOf(db.basisT())).length);
        m.put(Keyword.of("history"), (long) codec.encode(db.history()).length);
        m.put(Keyword.of("locator"), db.ref().orElseThrow().locator());
        m.put(Keyword.of("datoms"), db.count(io.datahop.db.IndexType.EAVT));
        return m;
      }
    } catch (RuntimeException e) {
      return Map.of(Keyword.of("error"), String.valueOf(e));
    } finally {
      try {
        Databases.delete(uri);
      } catch (RuntimeException ignored) {
        // a mem: store disappears with the process anyway
      }
    }
  }
}
