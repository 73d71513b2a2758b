package io.datahop.bench;

import static org.junit.jupiter.api.Assertions.fail;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.TxReport;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import io.datahop.query.Datalog;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential conformance: the same transactions ({@code differential-data.edn}) go into
 * datahop and into Datomic Peer in one JVM, and every case of {@code differential-queries.edn}
 * (queries, pulls, and queries that must fail) runs on both; their answers must be equal.
 *
 * <p>Entity ids differ between the two databases, so answers are compared in a canonical form:
 * every long that is a known entity id of that side becomes its {@code :ext/id} (or its ident,
 * for enum entities), every transaction id becomes its position in the data file, keywords,
 * instants and numbers become one representation, doubles are rounded to 10 significant digits.
 * Data longs are kept far below 2<sup>42</sup>, so they cannot be taken for entity ids; attribute
 * ids (small on both sides) are mapped to idents only in cases marked {@code :idents true}.
 *
 * <p>A case is {@code {:id "…" :query "…" :args […]}} with optional {@code :ordered true} (the
 * top-level result is compared in order, else as a multiset), {@code :error true} (both must
 * throw), {@code :request {…}} (a query map with {@code :offset}/{@code :limit}), or {@code :pull
 * "pattern" :eid …} / {@code :pull-many "pattern" :eids […]}, or {@code :entity eid} with
 * {@code :get [attrs…]} (the entity API's values) or without it (its key set); pulls and
 * entities read {@code :db view} when given. In {@code :args}, {@code :db} stands
 * for the current db, {@code {:diff/db :history}}, {@code {:diff/db :as-of :tx N}} and {@code
 * {:diff/db :since :tx N}} for views of it (N counts transactions of the data file from 0; also
 * {@code :as-of-t}/{@code :since-t} by basis t, {@code :as-of-since} with {@code :since M}, and
 * {@code {:diff/db :with :tx-data […]}} for a speculative db, {@code {:diff/db :with-txs :txs
 * [[…] […]]}} for one after several speculative transactions, each on the db after the one
 * before: a schema, then data using it), and
 * {@code {:diff/tx N}} for the id of transaction N.
 *
 * <p>A documented difference carries {@code :known-difference "why"} and pins datahop's side:
 * {@code :datahop answer}, {@code :datahop-count n} (rows), or {@code :datahop-error true}
 * (datahop refuses what Datomic answers). The case fails once Datomic agrees with datahop.
 */
class DatomicDifferentialTest {
  private static final long PART = 1L << 42;

  /** One side: its dbs and its id translation. */
  private record Side(
      Object db, List<Object> txIds, Map<Long, Object> entities, Map<Long, Object> idents) {}

  private record Ent(Object ext) {
    @Override
    public String toString() {
      return "#ent " + ext;
    }
  }

  private record Tx(int n) {
    @Override
    public String toString() {
      return "#tx " + n;
    }
  }

  private record Kw(String s) {
    @Override
    public String toString() {
      return s;
    }
  }

  private record Sym(String s) {
    @Override
    public String toString() {
      return "'" + s;
    }
  }

  private static clojure.lang.IFn DATOMIC_Q;
  private static clojure.lang.IFn DATOMIC_QUERY;
  private static Side hop;
  private static Side dat;
  private static List<Object> hopCases;
  private static List<Object> datCases;

  @BeforeAll
  static void load() throws Exception {
    String data = resource("differential-data.edn");
    String queries = resource("differential-queries.edn");
    clojure.java.api.Clojure.var("clojure.core", "require")
        .invoke(clojure.java.api.Clojure.read("datomic.api"));
    DATOMIC_Q = clojure.java.api.Clojure.var("datomic.api", "q");
    DATOMIC_QUERY = clojure.java.api.Clojure.var("datomic.api", "query");
    hop = loadDatahop((List<?>) Edn.read(data));
    dat = loadDatomic((List<?>) datomic.Util.read(data));
    hopCases = new ArrayList<>((List<?>) Edn.read(queries));
    datCases = new ArrayList<>((List<?>) datomicRead(queries));
  }

  /**
   * EDN as Datomic's users read a schema or tx file: datomic.Util.read with {@code #db/id} too
   * (Util.read alone knows only {@code #inst} and {@code #uuid}; Clojure programs get
   * {@code #db/id} from the peer's data_readers.clj).
   */
  private static Object datomicRead(String text) {
    clojure.lang.IFn require = clojure.java.api.Clojure.var("clojure.core", "require");
    require.invoke(clojure.java.api.Clojure.read("datomic.db"));
    require.invoke(clojure.java.api.Clojure.read("clojure.edn"));
    // #uri is datahop's tag for a java.net.URI (Datomic has none); read the same on both sides
    clojure.lang.IFn uri = new clojure.lang.AFn() {
      @Override
      public Object invoke(Object s) {
        return java.net.URI.create((String) s);
      }
    };
    Object readers = clojure.lang.PersistentHashMap.create(
        clojure.lang.Symbol.intern("db", "id"), clojure.java.api.Clojure.var("datomic.db", "id-literal"),
        clojure.lang.Symbol.intern(null, "uri"), uri);
    Object opts = clojure.lang.PersistentHashMap.create(clojure.lang.Keyword.intern("readers"), readers);
    return clojure.java.api.Clojure.var("clojure.edn", "read-string").invoke(opts, text);
  }

  @AfterAll
  static void shutdown() {
    // releases the Peer's in-memory databases; the JVM may run other tests after this class
    datomic.Peer.shutdown(false);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DatomicDifferentialTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Side loadDatahop(List<?> txs) {
    String uri = "mem:differential-" + UUID.randomUUID();
    Databases.create(uri);
    Connection conn = Databases.connect(uri);
    List<Object> txIds = new ArrayList<>();
    for (Object tx : txs) {
      TxReport r = conn.transact(tx);
      txIds.add(r.txData().get(0).tx());
    }
    Db db = conn.db();
    Map<Long, Object> ents = new HashMap<>();
    Map<Long, Object> idents = new HashMap<>();
    ids(Datalog.q("[:find ?e ?x :where [?e :ext/id ?x]]", db), ents);
    ids(Datalog.q("[:find ?e ?x :where [?e :db/ident ?x]]", db), idents);
    return new Side(db, txIds, ents, idents);
  }

  private static Side loadDatomic(List<?> txs) throws Exception {
    String uri = "datomic:mem://differential-" + UUID.randomUUID();
    datomic.Peer.createDatabase(uri);
    datomic.Connection conn = datomic.Peer.connect(uri);
    List<Object> txIds = new ArrayList<>();
    for (Object tx : txs) {
      Map<?, ?> r = conn.transact((List<?>) tx).get();
      Object d = ((List<?>) r.get(datomic.Connection.TX_DATA)).get(0);
      txIds.add(((datomic.Datom) d).tx());
    }
    Object db = conn.db();
    Map<Long, Object> ents = new HashMap<>();
    Map<Long, Object> idents = new HashMap<>();
    ids(datomic.Peer.q("[:find ?e ?x :where [?e :ext/id ?x]]", db), ents);
    ids(datomic.Peer.q("[:find ?e ?x :where [?e :db/ident ?x]]", db), idents);
    return new Side(db, txIds, ents, idents);
  }

  private static void ids(Object rel, Map<Long, Object> into) {
    for (Object row : (Collection<?>) rel) {
      List<?> r = (List<?>) row;
      into.put(((Number) r.get(0)).longValue(), r.get(1));
    }
  }

  @TestFactory
  Stream<DynamicTest> cases() {
    List<DynamicTest> tests = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    // -Ddatahop.diff.only=REGEX runs only the cases whose id matches (while working on them)
    java.util.regex.Pattern only = System.getProperty("datahop.diff.only") == null ? null
        : java.util.regex.Pattern.compile(System.getProperty("datahop.diff.only"));
    for (int i = 0; i < hopCases.size(); i++) {
      Map<?, ?> h = (Map<?, ?>) hopCases.get(i);
      Map<?, ?> d = (Map<?, ?>) datCases.get(i);
      String id = (String) h.get(Keyword.of("id"));
      if (!seen.add(id)) {
        throw new IllegalStateException("duplicate case id " + id);
      }
      if (only != null && !only.matcher(id).find()) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(id, () -> check(id, h, d)));
    }
    return tests.stream();
  }

  /**
   * Random queries from {@link RandomQueries}: {@code -Ddatahop.diff.random=N} of them (400 by
   * default) from {@code -Ddatahop.diff.seed} (a fixed seed by default, so CI is repeatable).
   */
  @TestFactory
  Stream<DynamicTest> random() {
    long seed = Long.getLong("datahop.diff.seed", 20261125L);
    int n = Integer.getInteger("datahop.diff.random", 400);
    java.util.Random r = new java.util.Random(seed);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text = RandomQueries.next(r, i);
      Map<?, ?> h = (Map<?, ?>) Edn.read(text);
      Map<?, ?> d = (Map<?, ?>) datomic.Util.read(text);
      String id = (String) hk(h, "id");
      tests.add(DynamicTest.dynamicTest(id, () -> {
        try {
          check(id, h, d);
        } catch (AssertionError e) {
          throw new AssertionError("seed " + seed + " (-Ddatahop.diff.seed=" + seed + "): "
              + text + "\n" + e.getMessage(), e);
        }
      }));
    }
    return tests.stream();
  }

  private static Object hk(Map<?, ?> m, String k) {
    return m.get(Keyword.of(k));
  }

  private static Object dk(Map<?, ?> m, String k) {
    return m.get(datomic.Util.read(":" + k));
  }

  private static void check(String id, Map<?, ?> h, Map<?, ?> d) {
    boolean error = Boolean.TRUE.equals(hk(h, "error"));
    boolean ordered = Boolean.TRUE.equals(hk(h, "ordered"));
    boolean idents = Boolean.TRUE.equals(hk(h, "idents"));
    Object mine;
    Object theirs;
    Throwable mineErr = null;
    Throwable theirErr = null;
    try {
      mine = canon(runDatahop(h), hop, idents);
    } catch (Throwable t) {
      mine = null;
      mineErr = t;
    }
    try {
      theirs = canon(runDatomic(d), dat, idents);
    } catch (Throwable t) {
      theirs = null;
      theirErr = t;
    }
    if (Boolean.getBoolean("datahop.diff.print")) {
      System.out.println(id + "\n  datahop: " + (mineErr == null ? mine : mineErr)
          + "\n  datomic: " + (theirErr == null ? theirs : theirErr));
    }
    Object known = hk(h, "known-difference");
    if (known != null) {
      // a documented, deliberate difference: datahop's answer is pinned, Datomic's must still
      // differ from it (fail, or answer otherwise), so the case speaks up once Datomic agrees
      if (Boolean.TRUE.equals(hk(h, "datahop-error"))) {
        // datahop refuses what Datomic answers
        if (mineErr == null) {
          fail(id + ": datahop should refuse this, but answered " + mine);
        }
        if (theirErr != null) {
          fail(id + ": documented difference (" + known + ") is gone: Datomic fails too");
        }
        return;
      }
      Object count = hk(h, "datahop-count");
      boolean ok = mineErr == null
          && (count != null
              ? mine instanceof Collection<?> c && c.size() == ((Number) count).intValue()
              : sameUnordered(mine, canon(hk(h, "datahop"), hop, false)));
      if (!ok) {
        fail(id + ": datahop: " + (mineErr == null ? mine : mineErr) + ", expected "
            + (count != null ? count + " rows" : canon(hk(h, "datahop"), hop, false)));
      }
      if (theirErr == null && sameUnordered(mine, theirs)) {
        fail(id + ": documented difference (" + known + ") is gone: Datomic agrees now");
      }
      return;
    }
    if (mineErr != null && theirErr != null && Boolean.TRUE.equals(hk(h, "either"))) {
      return; // a generated case both refuse
    }
    if (error) {
      if (mineErr == null || theirErr == null) {
        fail(id + ": both should fail\n datahop: " + (mineErr == null ? mine : mineErr)
            + "\n datomic: " + (theirErr == null ? theirs : theirErr));
      }
      return;
    }
    if (theirErr != null) {
      fail(id + ": datomic failed: " + theirErr + (mineErr == null ? "\n datahop: " + mine : ""));
    }
    if (mineErr != null) {
      AssertionError e = new AssertionError(
          id + ": datahop failed: " + mineErr + "\n datomic: " + theirs);
      e.initCause(mineErr);
      throw e;
    }
    if (Boolean.TRUE.equals(hk(h, "count-only"))) {
      // offset/limit without an order: which rows come back is unspecified, how many is not
      int a = ((Collection<?>) mine).size();
      int b = ((Collection<?>) theirs).size();
      if (a != b) {
        fail(id + ": row counts differ\n datahop: " + mine + "\n datomic: " + theirs);
      }
      return;
    }
    boolean same = ordered ? java.util.Objects.equals(mine, theirs) : sameUnordered(mine, theirs);
    if (!same) {
      fail(id + ": answers differ\n datahop: " + mine + "\n datomic: " + theirs);
    }
  }

  private static boolean sameUnordered(Object a, Object b) {
    if (a instanceof Collection<?> x && b instanceof Collection<?> y) {
      return bag(x).equals(bag(y));
    }
    return java.util.Objects.equals(a, b);
  }

  private static Map<Object, Integer> bag(Collection<?> c) {
    Map<Object, Integer> m = new HashMap<>();
    for (Object o : c) {
      m.merge(o, 1, Integer::sum);
    }
    return m;
  }

  // ---- running on each side

  private static Object runDatahop(Map<?, ?> c) {
    Db db = (Db) hopArg(hk(c, "db") == null ? Keyword.of("db") : hk(c, "db"));
    if (hk(c, "pull") != null) {
      return db.pull(hk(c, "pull"), hopArg(hk(c, "eid")));
    }
    if (hk(c, "pull-many") != null) {
      return db.pullMany(hk(c, "pull-many"), (List<?>) hopArg(hk(c, "eids")));
    }
    if (hk(c, "entity") != null) {
      Db view = (Db) hopArg(hk(c, "db") == null ? Keyword.of("db") : hk(c, "db"));
      io.datahop.db.Entity e = view.entity(hopArg(hk(c, "entity")));
      if (e == null) {
        return null;
      }
      if (hk(c, "get") == null) {
        return new HashSet<>(e.keySet());
      }
      List<Object> out = new ArrayList<>();
      for (Object attr : (List<?>) hk(c, "get")) {
        out.add(e.get(attr));
      }
      return out;
    }
    List<Object> args = new ArrayList<>();
    Object a = hk(c, "args");
    for (Object o : a == null ? List.of(Keyword.of("db")) : (List<?>) a) {
      args.add(hopArg(o));
    }
    Object request = hk(c, "request");
    if (request != null) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) request);
      m.put(Keyword.of("query"), hk(c, "query"));
      m.put(Keyword.of("args"), args);
      return Datalog.q(m);
    }
    return Datalog.q(hk(c, "query"), args.toArray());
  }

  private static Object hopArg(Object o) {
    Db db = (Db) hop.db();
    if (o instanceof Keyword k && k.equals(Keyword.of("db"))) {
      return db;
    }
    if (o instanceof Map<?, ?> m && hk(m, "diff/db") != null) {
      Object view = hk(m, "diff/db");
      Object t = hk(m, "tx") == null ? null : hop.txIds().get(((Number) hk(m, "tx")).intValue());
      return switch (view.toString()) {
        case ":history" -> db.history();
        case ":as-of" -> db.asOf(t);
        case ":since" -> db.since(t);
        case ":as-of-history" -> db.asOf(t).history();
        case ":as-of-t" -> db.asOf(Databases.tOf((Long) t));
        case ":since-t" -> db.since(Databases.tOf((Long) t));
        case ":as-of-since" -> db.asOf(t).since(hop.txIds().get(((Number) hk(m, "since")).intValue()));
        case ":with" -> db.with(hk(m, "tx-data")).dbAfter();
        case ":with-txs" -> {
          Db d = db;
          for (Object tx : (List<?>) hk(m, "txs")) {
            d = d.with(tx).dbAfter();
          }
          yield d;
        }
        default -> throw new IllegalArgumentException("unknown view " + view);
      };
    }
    if (o instanceof Map<?, ?> m && hk(m, "diff/tx") != null) {
      return hop.txIds().get(((Number) hk(m, "diff/tx")).intValue());
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(hopArg(x));
      }
      return out;
    }
    return o;
  }

  private static Object runDatomic(Map<?, ?> c) {
    datomic.Database db = (datomic.Database) datArg(
        dk(c, "db") == null ? datomic.Util.read(":db") : dk(c, "db"));
    if (dk(c, "pull") != null) {
      return db.pull(datomic.Util.read((String) dk(c, "pull")), datArg(dk(c, "eid")));
    }
    if (dk(c, "pull-many") != null) {
      return db.pullMany(datomic.Util.read((String) dk(c, "pull-many")), (List<?>) datArg(dk(c, "eids")));
    }
    if (dk(c, "entity") != null) {
      datomic.Database view = (datomic.Database) datArg(
          dk(c, "db") == null ? datomic.Util.read(":db") : dk(c, "db"));
      datomic.Entity e = view.entity(datArg(dk(c, "entity")));
      if (e == null) {
        return null;
      }
      if (dk(c, "get") == null) {
        // the Peer names attributes as strings ":p/name"
        Set<Object> keys = new HashSet<>();
        for (String k : e.keySet()) {
          keys.add(datomic.Util.read(k));
        }
        return keys;
      }
      List<Object> out = new ArrayList<>();
      for (Object attr : (List<?>) dk(c, "get")) {
        out.add(e.get(attr));
      }
      return out;
    }
    List<Object> args = new ArrayList<>();
    Object a = dk(c, "args");
    for (Object o : a == null ? List.of(datomic.Util.read(":db")) : (List<?>) a) {
      args.add(datArg(o));
    }
    Object request = dk(c, "request");
    if (request != null) {
      Map<Object, Object> m = new HashMap<>((Map<?, ?>) request);
      m.put(datomic.Util.read(":query"), datomic.Util.read((String) dk(c, "query")));
      m.put(datomic.Util.read(":args"), datomic.Util.list(args.toArray()));
      return DATOMIC_QUERY.invoke(clojure.lang.PersistentHashMap.create(m));
    }
    // Peer.q is declared to return a Collection: scalar and tuple finds need the Clojure fn
    List<Object> all = new ArrayList<>();
    all.add(dk(c, "query"));
    all.addAll(args);
    return DATOMIC_Q.applyTo(clojure.lang.RT.seq(all));
  }

  private static Object datArg(Object o) {
    datomic.Database db = (datomic.Database) dat.db();
    if (o instanceof clojure.lang.Keyword k && k.toString().equals(":db")) {
      return db;
    }
    if (o instanceof Map<?, ?> m && dk(m, "diff/db") != null) {
      Object view = dk(m, "diff/db");
      Object t = dk(m, "tx") == null ? null : dat.txIds().get(((Number) dk(m, "tx")).intValue());
      return switch (view.toString()) {
        case ":history" -> db.history();
        case ":as-of" -> db.asOf(t);
        case ":since" -> db.since(t);
        case ":as-of-history" -> db.asOf(t).history();
        case ":as-of-t" -> db.asOf(datomic.Peer.toT((Long) t));
        case ":since-t" -> db.since(datomic.Peer.toT((Long) t));
        case ":as-of-since" -> db.asOf(t).since(dat.txIds().get(((Number) dk(m, "since")).intValue()));
        case ":with" -> {
          try {
            yield db.with((List<?>) dk(m, "tx-data")).get(datomic.Connection.DB_AFTER);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        case ":with-txs" -> {
          try {
            datomic.Database d = db;
            for (Object tx : (List<?>) dk(m, "txs")) {
              d = (datomic.Database) d.with((List<?>) tx).get(datomic.Connection.DB_AFTER);
            }
            yield d;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        default -> throw new IllegalArgumentException("unknown view " + view);
      };
    }
    if (o instanceof Map<?, ?> m && dk(m, "diff/tx") != null) {
      return dat.txIds().get(((Number) dk(m, "diff/tx")).intValue());
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(datArg(x));
      }
      // keep the reader's own vectors and lists (rules need them) unless something was replaced
      return out.equals(l) ? o : datomic.Util.list(out.toArray());
    }
    return o;
  }

  // ---- canonical form

  static Object canon(Object v, Side side, boolean idents) {
    return switch (v) {
      case null -> null;
      case Long l -> id(l, side, idents);
      case Integer i -> id(i.longValue(), side, idents);
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case Double x -> round(x);
      case Float x -> round(x.doubleValue());
      case clojure.lang.Ratio r -> round(r.doubleValue());
      case clojure.lang.BigInt b -> b.toBigInteger();
      case BigInteger b -> b;
      case BigDecimal b -> b.stripTrailingZeros();
      case Keyword k -> new Kw(k.toString());
      case clojure.lang.Keyword k -> new Kw(k.toString());
      case io.datahop.edn.Symbol s -> new Sym(s.toString());
      case clojure.lang.Symbol s -> new Sym(s.toString());
      case Date d -> d.toInstant();
      case Instant i -> i;
      case String s -> s;
      case Boolean b -> b;
      case UUID u -> u;
      case io.datahop.db.Entity e -> id(e.id(), side, idents);
      case datomic.Entity e -> id((Long) e.get(":db/id"), side, idents);
      case Map<?, ?> m -> {
        Map<Object, Object> out = new HashMap<>();
        m.forEach((k, x) -> out.put(canon(k, side, idents), canon(x, side, idents)));
        yield out;
      }
      case Set<?> s -> {
        Set<Object> out = new HashSet<>();
        s.forEach(x -> out.add(canon(x, side, idents)));
        yield out;
      }
      case Collection<?> c -> {
        List<Object> out = new ArrayList<>();
        c.forEach(x -> out.add(canon(x, side, idents)));
        yield out;
      }
      case Object[] arr -> canon(List.of(arr), side, idents);
      default -> v;
    };
  }

  private static Object id(long l, Side side, boolean idents) {
    Object ext = side.entities().get(l);
    if (ext != null) {
      return new Ent(ext);
    }
    int tx = side.txIds().indexOf(l);
    if (tx >= 0) {
      return new Tx(tx);
    }
    Object ident = side.idents().get(l);
    if (ident != null && (idents || l >= PART)) {
      return canon(ident, side, false);
    }
    return l;
  }

  private static Double round(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
      return d == 0 ? 0.0 : d;
    }
    return new BigDecimal(d).round(new MathContext(10)).doubleValue();
  }
}
