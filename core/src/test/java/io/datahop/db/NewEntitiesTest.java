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
  @MethodSource("seeds")
  void fastPathMatchesTheGeneralPath(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Store0 st = new Store0();
    Snapshot s = st.commits.write(Transactor.run(st.boot, SCHEMA, Instant.now()).after());
    int fast = 0, general = 0;
    for (int step = 0; step < 400; step++) {
      List<Object> tx = randomTx(r, step);
      String where = "seed " + seed + " step " + step + " tx " + tx;
      Instant now = Instant.now();
      boolean planned = NewEntities.plan(s, TxInput.forms(tx), Ids.txEid(s.basisT() + 1)) != null;
      if (planned) fast++; else general++;
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
        s = st.commits.write(ra.after());
      } else {
        assertThat(a).as(where).isEqualTo(b);
      }
    }
    assertThat(fast).as("seed %d: transactions on the fast path", seed).isGreaterThan(40);
    assertThat(general).as("seed %d: transactions handed to the general path", seed).isGreaterThan(40);
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
    else if (roll < 3) m.put(Keyword.of("db/id"), "s" + step + "-" + r.nextInt(1_000_000));
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
