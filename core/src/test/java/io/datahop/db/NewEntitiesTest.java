package io.datahop.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.store.Stores;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The new-entities fast path of a transaction gives exactly what the general path gives: the
 * same tx-data in the same order, the same tempids, the same next snapshot in every index, and
 * the same error when the transaction is rejected. Random transactions of entity maps mix forms
 * the fast path takes with every shape it must hand back (repeated and stored unique values,
 * repeated tempids and keys, refs, tuples, wrong types, nil, collections). Seed printed on
 * failure; pin one with {@code -Ddatahop.seed=N}.
 */
class NewEntitiesTest {
  static List<Long> seeds() {
    String pinned = System.getProperty("datahop.seed");
    if (pinned != null) return List.of(Long.parseLong(pinned));
    return List.of(1L, 42L, 2026L, System.nanoTime());
  }

  /** Each seed with the default split (small transactions: one thread) and with every transaction split in halves. */
  static List<Arguments> seedsAndSplits() {
    List<Arguments> out = new ArrayList<>();
    for (long seed : seeds()) {
      out.add(Arguments.of(seed, NewEntities.splitForms));
      out.add(Arguments.of(seed, 2));
    }
    return out;
  }

  private static final String SCHEMA = """
      [{:db/ident :u/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
       {:db/ident :u/code :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/value}
       {:db/ident :u/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}
       {:db/ident :u/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
       {:db/ident :u/score :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
       {:db/ident :u/ratio :db/valueType :db.type/float :db/cardinality :db.cardinality/one}
       {:db/ident :u/price :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/many}
       {:db/ident :u/tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
       {:db/ident :u/keys :db/valueType :db.type/bytes :db/cardinality :db.cardinality/many :db/unique :db.unique/value}
       {:db/ident :u/kind :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}
       {:db/ident :u/at :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
       {:db/ident :u/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
       {:db/ident :u/pair :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long :db.type/string] :db/cardinality :db.cardinality/one}
       {:db/ident :u/first :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :u/last :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
       {:db/ident :u/full :db/valueType :db.type/tuple :db/tupleAttrs [:u/first :u/last] :db/cardinality :db.cardinality/one}]""";

  private static final String[] ATTRS = {
    "u/email", "u/code", "u/name", "u/age", "u/score", "u/ratio", "u/price", "u/tags", "u/keys", "u/kind",
    "u/at", "u/friend", "u/pair", "u/first", "u/last", "u/full", "u/nope", "db/doc", "u/_friend"
  };

  @ParameterizedTest
  @MethodSource("seedsAndSplits")
  void fastPathMatchesTheGeneralPath(long seed, int split) {
    SplittableRandom r = new SplittableRandom(seed);
    Store0 st = new Store0();
    Snapshot s = st.commits.write(Transactor.run(st.boot, SCHEMA, Instant.now()).after());
    int fast = 0, general = 0;
    int saved = NewEntities.splitForms;
    NewEntities.splitForms = split;
    try {
      for (int step = 0; step < 400; step++) {
        List<Object> tx = randomTx(r, step);
        String where = "seed " + seed + " split " + split + " step " + step + " tx " + tx;
        if (planned(s, tx)) fast++; else general++;
        s = sameOutcome(st, s, tx, where);
      }
    } finally {
      NewEntities.splitForms = saved;
    }
    assertThat(fast).as("seed %d: transactions on the fast path", seed).isGreaterThan(40);
    assertThat(general).as("seed %d: transactions handed to the general path", seed).isGreaterThan(40);
  }

  /**
   * A transaction split in halves gives the one-thread result, and what only the two halves
   * together show — a tempid or a unique value used in both, one unique attribute named by a
   * keyword in one half and a string in the other — hands it to the general path, whose result or
   * error it then is.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void aSplitTransactionMatchesTheGeneralPath(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Store0 st = new Store0();
    Snapshot s = st.commits.write(Transactor.run(st.boot, SCHEMA, Instant.now()).after());
    int saved = NewEntities.splitForms;
    NewEntities.splitForms = 8;
    try {
      for (int round = 0; round < 12; round++) {
        int n = 8 + r.nextInt(200);
        List<Object> clean = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Map<Object, Object> m = new LinkedHashMap<>();
          int id = r.nextInt(3);
          if (id == 0) m.put(Keyword.of("db/id"), "r" + round + "-" + i);
          if (id == 1) m.put(Keyword.of("db/id"), new Tempid(Keyword.of("db.part/user"), -1 - i)); // a Datomic file's
          m.put(Keyword.of("u/email"), "r" + round + "-" + i + "@split");
          m.put(Keyword.of("u/code"), (long) (round * 1000 + i));
          m.put(Keyword.of("u/tags"), List.of("t" + r.nextInt(3), "t" + r.nextInt(3)));
          if (r.nextBoolean()) m.put(Keyword.of("u/age"), r.nextInt(90)); // an Integer: coerced
          clean.add(m);
        }
        String where = "seed " + seed + " round " + round + " n " + n;
        int a = r.nextInt(n / 2), b = n / 2 + r.nextInt(n - n / 2); // one form in each half
        List<List<Object>> broken = List.of(
            with(clean, a, b, "db/id", "shared-" + round, "db/id", "shared-" + round),
            with(clean, a, b, "u/email", "dup-" + round + "@split", "u/email", "dup-" + round + "@split"),
            with(clean, a, b, "u/code", -1L - round, "u/code", -1L - round),
            withKeys(clean, a, b, Keyword.of("u/email"), "u/email", "mixed-" + round + "@split"));
        for (int k = 0; k < broken.size(); k++) {
          assertThat(planned(s, broken.get(k))).as(where + " case " + k).isFalse();
          s = sameOutcome(st, s, broken.get(k), where + " case " + k);
        }
        assertThat(planned(s, clean)).as(where + " clean").isTrue();
        s = sameOutcome(st, s, clean, where + " clean");
        // a unique value already in the database: the half holding it gives up
        List<Object> stored = new ArrayList<>();
        List<Object> again = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Map<Object, Object> f = copyWith(clean.get(i), "db/id", null, "u/code", null);
          stored.add(copyWith(f, "u/email", "again-" + round + "-" + i + "@split", null, null));
          again.add(copyWith(f, "u/email", "fresh-" + round + "-" + i + "@split", null, null));
        }
        assertThat(planned(s, stored)).as(where + " first").isTrue();
        s = sameOutcome(st, s, stored, where + " first");
        again.set(b, stored.get(a));
        assertThat(planned(s, again)).as(where + " stored").isFalse();
        s = sameOutcome(st, s, again, where + " stored");
      }
    } finally {
      NewEntities.splitForms = saved;
    }
  }

  /** A copy of {@code tx} whose forms {@code a} and {@code b} get one more (or another) entry each. */
  private static List<Object> with(List<Object> tx, int a, int b, String ka, Object va, String kb, Object vb) {
    List<Object> out = new ArrayList<>(tx);
    out.set(a, copyWith(tx.get(a), ka, va, null, null));
    out.set(b, copyWith(tx.get(b), kb, vb, null, null));
    return out;
  }

  /** A copy of {@code tx} whose forms {@code a} and {@code b} claim one value through two spellings of its key. */
  private static List<Object> withKeys(List<Object> tx, int a, int b, Object keyA, Object keyB, Object v) {
    List<Object> out = new ArrayList<>(tx);
    for (int i : new int[] {a, b}) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) tx.get(i));
      m.remove(Keyword.of("u/email"));
      m.put(i == a ? keyA : keyB, v);
      out.set(i, m);
    }
    return out;
  }

  /** A copy of an entity map with {@code k1} set to {@code v1} and {@code k2} to {@code v2} (a null value removes, a null key skips). */
  private static Map<Object, Object> copyWith(Object form, String k1, Object v1, String k2, Object v2) {
    Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) form);
    for (Object[] kv : new Object[][] {{k1, v1}, {k2, v2}}) {
      if (kv[0] == null) continue;
      if (kv[1] == null) m.remove(Keyword.of((String) kv[0]));
      else m.put(Keyword.of((String) kv[0]), kv[1]);
    }
    return m;
  }

  private static boolean planned(Snapshot s, List<Object> tx) {
    return NewEntities.plan(s, TxInput.forms(tx), Ids.txEid(s.basisT() + 1)) != null;
  }

  /** Runs {@code tx} with and without the fast path, asserts the same outcome and returns the next snapshot. */
  private static Snapshot sameOutcome(Store0 st, Snapshot s, List<Object> tx, String where) {
    Instant now = Instant.now();
    Object a = outcome(s, tx, now, true);
    Object b = outcome(s, tx, now, false);
    if (a instanceof Transactor.Result ra && b instanceof Transactor.Result rb) {
      assertThat(ra.txData()).as(where).isEqualTo(rb.txData());
      assertThat(List.copyOf(ra.tempids().entrySet())).as(where).isEqualTo(List.copyOf(rb.tempids().entrySet()));
      assertThat(ra.after().nextUserId()).as(where).isEqualTo(rb.after().nextUserId());
      assertThat(ra.after().nextAttrId()).as(where).isEqualTo(rb.after().nextAttrId());
      for (IndexType ix : IndexType.values()) {
        assertThat(all(ra.after(), ix)).as(where + " " + ix).isEqualTo(all(rb.after(), ix));
      }
      return st.commits.write(ra.after());
    }
    assertThat(a).as(where).isEqualTo(b);
    return s;
  }

  /** The result, or the error's class, code and message. */
  private static Object outcome(Snapshot s, Object tx, Instant now, boolean withFastPath) {
    try {
      return withFastPath ? Transactor.run(s, tx, now) : Transactor.runGeneral(s, tx, now);
    } catch (DatahopException e) {
      return List.of(e.getClass().getSimpleName(), e.code(), String.valueOf(e.getMessage()));
    }
  }

  private static List<Datom> all(Snapshot s, IndexType ix) {
    List<Datom> out = new ArrayList<>();
    for (Iterator<Datom> it = s.scan(ix); it.hasNext(); ) out.add(it.next());
    return out;
  }

  private static List<Object> randomTx(SplittableRandom r, int step) {
    List<Object> tx = new ArrayList<>();
    int n = 1 + r.nextInt(6);
    boolean clean = r.nextInt(3) == 0; // mostly forms the fast path takes
    for (int i = 0; i < n; i++) tx.add(entity(r, step, clean));
    return tx;
  }

  private static Map<Object, Object> entity(SplittableRandom r, int step, boolean clean) {
    Map<Object, Object> m = new LinkedHashMap<>();
    int roll = r.nextInt(clean ? 8 : 12);
    if (roll == 8) m.put(Keyword.of("db/id"), "t" + r.nextInt(3)); // often repeated
    else if (roll == 9) m.put(Keyword.of("db/id"), r.nextBoolean() ? "datomic.tx" : (Object) (long) -(1 + r.nextInt(3)));
    else if (roll == 10) m.put("db/id", "s" + step + "-" + r.nextInt(1000));
    else if (roll == 11) m.put(Keyword.of("db/id"), r.nextBoolean() // Datomic files' tempids
        ? new Tempid(Keyword.of(r.nextBoolean() ? "db.part/user" : "db.part/tx"), -(1 + r.nextInt(3)))
        : Tempid.fresh(Keyword.of("db.part/user")));
    else if (roll == 2) m.put(Keyword.of("db/id"), Tempid.fresh(Keyword.of("db.part/user")));
    else if (roll < 2) m.put(Keyword.of("db/id"), "s" + step + "-" + r.nextInt(1_000_000));
    int attrs = (clean ? 1 : 0) + r.nextInt(4);
    for (int j = 0; j < attrs; j++) {
      String name = ATTRS[r.nextInt(clean ? 11 : ATTRS.length)];
      Object key = switch (r.nextInt(clean ? 1 : 6)) {
        case 0, 1, 2, 3 -> Keyword.of(name);
        case 4 -> name;
        default -> ":" + name;
      };
      m.put(key, value(r, name, clean));
    }
    return m;
  }

  private static Object value(SplittableRandom r, String attr, boolean clean) {
    if (!clean && r.nextInt(20) == 0) return r.nextBoolean() ? null : "wrong";
    return switch (attr) {
      case "u/email" -> "e" + r.nextInt(clean ? 1_000_000 : 60) + "@x";
      case "u/code" -> (long) r.nextInt(clean ? 1_000_000 : 60);
      case "u/name", "u/first", "u/last" -> "n" + r.nextInt(20);
      case "u/age" -> r.nextBoolean() ? (Object) (long) r.nextInt(90) : (Object) r.nextInt(90);
      case "u/score" -> r.nextInt(4) == 0 ? (Object) (long) r.nextInt(10) : (Object) (r.nextInt(100) / 4.0);
      case "u/ratio" -> r.nextBoolean() ? (Object) (float) (r.nextInt(8) / 2.0) : (Object) (r.nextInt(8) / 4.0);
      case "u/price" -> many(r, clean, () -> new BigDecimal(r.nextInt(5) + "." + (r.nextBoolean() ? "0" : "00")));
      case "u/tags" -> many(r, clean, () -> "t" + r.nextInt(5));
      case "u/keys" -> many(r, clean, () -> new byte[] {(byte) r.nextInt(clean ? 256 : 6), (byte) r.nextInt(256)});
      case "u/kind" -> Keyword.of("k/" + r.nextInt(4));
      case "u/at" -> Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1000));
      case "u/friend" -> r.nextBoolean() ? "t0" : (Object) List.of("u/email", "e1@x");
      case "u/pair" -> List.of((long) r.nextInt(3), "p");
      case "u/full" -> List.of("a", "b");
      default -> UUID.randomUUID().toString();
    };
  }

  private static Object many(SplittableRandom r, boolean clean, java.util.function.Supplier<Object> gen) {
    int n = clean ? 1 + r.nextInt(3) : r.nextInt(4);
    List<Object> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(gen.get());
    return switch (r.nextInt(clean ? 3 : 4)) {
      case 0 -> l.isEmpty() ? gen.get() : l.get(0);
      case 1 -> l;
      case 2 -> new LinkedHashSet<>(l);
      default -> l.toArray();
    };
  }

  /** A fresh in-memory store with the bootstrap snapshot written. */
  private static final class Store0 {
    final Commits commits;
    final Snapshot boot;

    Store0() {
      IndexContext ctx = new IndexContext(Stores.open("mem:fast-" + UUID.randomUUID(), true));
      commits = new Commits(ctx, 40, 3);
      boot = commits.write(commits.bootstrap(DbConfig.defaults()));
    }
  }
}
