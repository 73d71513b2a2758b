package io.datahop.bench;

import io.datahop.db.Db;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.query.Datalog;
import io.datahop.query.exec.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./datahop bench queries}: the query workload of {@code people-20k} on datahop and on
 * Datomic Peer in one JVM, per query the median times and the ratio datahop/Datomic, with
 * datahop's answers checked against Datomic's ({@code people-20k.answers.edn}).
 *
 * <p>With {@code --data FILE --queries FILE [--runs N]} it runs any query list on any dataset
 * on datahop alone and prints one EDN map per query (median, min, max ms and result count).
 */
public final class QueryBench {
  private static final String PULL_PATTERN =
      "[:person/id :name :last-name :sex :age :salary {:follows [:person/id]}]";

  private QueryBench() {}

  public static void main(String[] args) throws Exception {
    String data = null;
    String queries = null;
    String answers = null;
    int runs = 30;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = args[++i];
        case "--queries" -> queries = args[++i];
        case "--answers" -> answers = args[++i];
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: bench queries [--data FILE --queries FILE] [--answers FILE] [--runs N]");
          System.exit(2);
        }
      }
    }
    if (data != null) {
      if (queries == null) {
        System.err.println("bench queries: --data needs --queries");
        System.exit(2);
      }
      generic(Path.of(data), Path.of(queries), runs);
      return;
    }
    Path dir = sharedBench();
    compare(
        dir.resolve("people-20k.edn"),
        dir.resolve("people-20k.queries.edn"),
        answers != null ? Path.of(answers) : dir.resolve("people-20k.answers.edn"),
        runs);
  }

  private static Path sharedBench() {
    for (String p : List.of("../shared/bench", "/work/shared/bench", "shared/bench")) {
      if (Files.isDirectory(Path.of(p))) {
        return Path.of(p);
      }
    }
    throw new IllegalStateException("cannot find shared/bench; pass --data and --queries");
  }

  private static List<Map<?, ?>> queryList(Path file) throws Exception {
    Map<?, ?> m = (Map<?, ?>) Edn.read(Files.readString(file));
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object o : (List<?>) m.get(Keyword.of("queries"))) {
      out.add((Map<?, ?>) o);
    }
    return out;
  }

  private static List<Object> args(Map<?, ?> q) {
    Object a = q.get(Keyword.of("args"));
    return a == null ? List.of() : new ArrayList<>((List<?>) a);
  }

  private static Object run(Db db, String query, List<Object> args) {
    Object[] in = new Object[args.size() + 1];
    in[0] = db;
    for (int i = 0; i < args.size(); i++) {
      in[i + 1] = args.get(i);
    }
    return Datalog.q(query, in);
  }

  private static int count(Object r) {
    return r instanceof Collection<?> c ? c.size() : r == null ? 0 : 1;
  }

  static void generic(Path data, Path queries, int runs) throws Exception {
    long t0 = System.nanoTime();
    Db db = DatahopSide.load((Map<?, ?>) Edn.read(Files.readString(data)));
    System.err.printf(Locale.ROOT, "loaded %s in %.0f ms%n", data, (System.nanoTime() - t0) / 1e6);
    for (Map<?, ?> q : queryList(queries)) {
      String text = (String) q.get(Keyword.of("query"));
      List<Object> args = args(q);
      Timing t = Timing.measure(() -> run(db, text, args), Math.max(5, runs), runs);
      Map<Object, Object> out = new LinkedHashMap<>();
      out.put(Keyword.of("id"), q.get(Keyword.of("id")));
      out.put(Keyword.of("median-ms"), round(t.medianMs()));
      out.put(Keyword.of("min-ms"), round(t.minMs()));
      out.put(Keyword.of("max-ms"), round(t.maxMs()));
      out.put(Keyword.of("count"), (long) count(t.lastResult()));
      System.out.println(Edn.write(out));
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  /** One row of the comparison table. */
  private record Row(String id, Timing datahop, Timing datomic, String check) {}

  static void compare(Path data, Path queries, Path answersFile, int runs) throws Exception {
    String text = Files.readString(data);
    long t0 = System.nanoTime();
    Db db = DatahopSide.load((Map<?, ?>) Edn.read(text));
    System.err.printf(Locale.ROOT, "datahop loaded in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    t0 = System.nanoTime();
    DatomicSide datomic = DatomicSide.load(text);
    System.err.printf(Locale.ROOT, "datomic loaded in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    Map<String, Object> answers = new LinkedHashMap<>();
    List<Object> forms = Edn.readAll(Files.readString(answersFile));
    for (int i = 0; i + 1 < forms.size(); i += 2) {
      answers.put((String) forms.get(i), forms.get(i + 1));
    }
    List<Row> rows = new ArrayList<>();
    int warmup = Math.max(10, runs);
    for (Map<?, ?> q : queryList(queries)) {
      String id = (String) q.get(Keyword.of("id"));
      String query = (String) q.get(Keyword.of("query"));
      List<Object> args = args(q);
      Set<?> eidCols = (Set<?>) q.get(Keyword.of("eid-cols"));
      Timing mine = Timing.measure(() -> run(db, query, args), warmup, runs);
      Timing theirs = Timing.measure(() -> datomic.q(query, args), warmup, runs);
      Object canon = canonical(db, mine.lastResult(), eidCols);
      String check = answers.containsKey(id) ? (canon.equals(answers.get(id)) ? "ok" : "DIFFERENT") : "-";
      if (!check.equals("ok") && !check.equals("-")) {
        System.err.println(id + " datahop: " + abbreviate(Edn.write(canon)));
        System.err.println(id + " datomic: " + abbreviate(Edn.write(answers.get(id))));
      }
      rows.add(new Row(id, mine, theirs, check));
    }
    List<Object> refs = new ArrayList<>();
    for (long i = 0; i < 100; i++) {
      refs.add(List.of(Keyword.of("person/id"), i));
    }
    Timing pm = Timing.measure(() -> db.pullMany(PULL_PATTERN, refs), warmup, runs);
    Timing pmD = Timing.measure(() -> datomic.pullMany(PULL_PATTERN, refs), warmup, runs);
    rows.add(new Row("pull-many 100", pm, pmD, check(pullCanon(pm.lastResult()), answers.get("pull100"))));
    List<Object> one = List.of(Keyword.of("person/id"), 12345L);
    Timing lp = Timing.measure(() -> db.pull("[:name :age]", one), warmup, runs * 10);
    Timing lpD = Timing.measure(() -> datomic.pull("[:name :age]", one), warmup, runs * 10);
    rows.add(new Row("lookup-pull", lp, lpD, check(lp.lastResult(), answers.get("lookup-pull"))));
    System.out.printf(
        Locale.ROOT, "%-14s %12s %12s %8s  %s%n", "query", "datahop ms", "datomic ms", "ratio", "answer");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-14s %12.3f %12.3f %8.2f  %s%n",
          r.id(),
          r.datahop().medianMs(),
          r.datomic().medianMs(),
          r.datahop().medianMs() / r.datomic().medianMs(),
          r.check());
    }
    DatomicSide.shutdown();
  }

  private static String check(Object mine, Object expected) {
    return expected == null ? "-" : mine.equals(expected) ? "ok" : "DIFFERENT";
  }

  private static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }

  /** Entity-id columns mapped to :person/id, rows sorted: the answers file's form. */
  static Object canonical(Db db, Object result, Set<?> eidCols) {
    if (!(result instanceof Collection<?> c)) {
      return result;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Object o : c) {
      List<Object> row = new ArrayList<>((List<?>) o);
      for (int i = 0; i < row.size(); i++) {
        if (eidCols != null && eidCols.contains((long) i)) {
          row.set(i, DatahopSide.personId(db, row.get(i)));
        }
      }
      rows.add(row);
    }
    rows.sort(Values.ORDER);
    return rows;
  }

  /** Pull results with each entity's :follows sorted as the answers file sorts them. */
  @SuppressWarnings("unchecked")
  static Object pullCanon(Object pulled) {
    List<Object> out = new ArrayList<>();
    for (Object o : (List<?>) pulled) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<Object, Object>) o);
      if (m.get(Keyword.of("follows")) instanceof List<?> f) {
        List<Object> sorted = new ArrayList<>(f);
        // the answers file sorts sets by their printed form
        sorted.sort((a, b) -> Edn.write(a).compareTo(Edn.write(b)));
        m.put(Keyword.of("follows"), sorted);
      }
      out.add(m);
    }
    return out;
  }
}
