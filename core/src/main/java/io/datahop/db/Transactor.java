package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.db.TxResolver.Resolved;
import io.datahop.db.TxResolver.ValueKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs one transaction against a snapshot and returns the next snapshot (not yet stored).
 *
 * <p>Implementation notes: every (entity, attribute) the transaction touches gets a {@link Slot}
 * holding its values before the transaction and what the ops did to them, so card-one
 * replacement, redundant assertions (no-ops, absent from tx-data), conflicting add/retract pairs
 * and {@code :db/cas} are all decided in one place in op order. Entities allocated by this
 * transaction skip the index read. Uniqueness, composite tuples, the tx instant and schema
 * validity are checked after all ops ran; any failure throws before anything is built, so a
 * rejected transaction changes nothing.
 */
final class Transactor {
  /** Result of one transaction. */
  record Result(Snapshot after, List<Datom> txData, Map<Object, Long> tempids, Deferred deferred) {
    Result(Snapshot after, List<Datom> txData, Map<Object, Long> tempids) {
      this(after, txData, tempids, null);
    }
  }

  /**
   * A transaction whose current indices are being updated on another thread: {@code after} of
   * its result then holds the indices of the db before (the same base trees; everything a commit
   * record needs but the datom count, which is {@code datomCount}), and {@code current} completes
   * with the real ones. This lets a connection write and sync the commit while the overlays grow.
   */
  record Deferred(CompletableFuture<Indexes> current, long datomCount) {}

  private static final long[] NO_REFS = {};
  private static final int EXISTING = 0, RETRACTED = 1, ADDED = 2;

  /** The values of one (e, a): what the database had and what this transaction did. */
  private static final class Slot {
    final long e;
    final Attribute a;
    final SmallMap<ValueKey, int[]> state = new SmallMap<>();
    final SmallMap<ValueKey, Long> oldTx = new SmallMap<>();
    /**
     * Values true before the transaction that it asserts again: no datom, but retracting one of
     * them in the same transaction is a conflict as for any asserted value (as Datomic).
     */
    java.util.Set<ValueKey> reasserted;
    /**
     * Values the transaction retracts explicitly ([:db/retract], [:db/retract e a],
     * :db/retractEntity), whether or not they are there: as in Datomic, each is a datom of the
     * transaction, so asserting one of them, or retracting two values of a cardinality-one
     * attribute, conflicts.
     */
    java.util.Set<ValueKey> retractedExplicitly;

    Slot(long e, Attribute a) {
      this.e = e;
      this.a = a;
    }
  }

  private record EA(long e, long a) {}

  private final Snapshot db;
  private final long t;
  private final long txEid;
  private Map<EA, Slot> slots = new LinkedHashMap<>();
  private TxResolver resolver;
  /** Where the current indices are updated when the caller can use them late; null: right away. */
  private Executor indexer;

  private Transactor(Snapshot db) {
    this.db = db;
    this.t = db.basisT() + 1;
    this.txEid = Ids.txEid(t);
  }

  static Result run(Snapshot db, Object txData, Instant now) {
    return run(db, txData, now, null);
  }

  /**
   * Runs a transaction; with an {@code indexer}, an ordinary one (no schema change, nothing for
   * the history indices, under {@link Indexes#PARALLEL_BATCH} datoms) updates the current indices
   * there and returns a {@link Deferred} result.
   */
  static Result run(Snapshot db, Object txData, Instant now, Executor indexer) {
    List<?> forms = TxExpansion.expand(TxInput.forms(txData), db);
    Transactor tx = new Transactor(db);
    tx.indexer = indexer;
    NewEntities.Plan plan = NewEntities.plan(db, forms, tx.txEid);
    if (plan != null) return tx.applyNew(plan, now);
    return tx.apply(TxInput.parse(forms, db.schema()), now);
  }

  /** Runs {@code txData} on the general path only (tests compare it with the fast path). */
  static Result runGeneral(Snapshot db, Object txData, Instant now) {
    return new Transactor(db).apply(TxInput.parse(TxExpansion.expand(TxInput.forms(txData), db), db.schema()), now);
  }

  /** A transaction of new entities only, as planned by {@link NewEntities}. */
  private Result applyNew(NewEntities.Plan plan, Instant now) {
    Instant instant = txInstantFor(now);
    List<Datom> asserts = plan.withTx(new Datom(txEid, Schema.TX_INSTANT, instant, txEid, true));
    // the planned attributes are never refs, nor is :db/txInstant: no scan for ref attributes
    return finish(asserts, List.of(), List.of(), false, instant, plan.nextUser(), db.nextAttrId(), plan.tempids(),
        NO_REFS);
  }

  /** The instant of a transaction that gives none: now, but never before the previous one. */
  private Instant txInstantFor(Instant now) {
    Instant last = db.lastTxInstant() == null ? Instant.EPOCH : db.lastTxInstant();
    return now.isBefore(last) ? last : now;
  }

  private Result apply(List<TxOp> ops, Instant now) {
    resolver = new TxResolver(db, txEid);
    List<Resolved> resolved = resolver.resolve(ops);
    slots = new LinkedHashMap<>(Math.max(16, resolved.size() * 2));
    for (Datom install : resolver.installs) {
      slot(install.e(), Schema.IDENT).state.put(new ValueKey(install.v()), new int[] {ADDED});
    }
    for (Resolved r : resolved) op(r);
    composites();
    txInstant(now);
    checkUnique();
    // collect the change set in a stable order: tx entity first, as Datomic reports it
    List<Datom> asserts = new ArrayList<>();
    List<Datom> retracts = new ArrayList<>();
    List<Datom> retractedOriginals = new ArrayList<>();
    boolean schemaTouched = false;
    Instant instant = null;
    for (Slot s : slots.values()) {
      for (Map.Entry<ValueKey, int[]> en : s.state.entrySet()) {
        int st = en.getValue()[0];
        if (st == EXISTING) continue;
        Object v = en.getKey().v();
        if (s.a.id() <= Schema.TUPLE_TYPE || s.a.id() == Schema.ATTR_PREDS) schemaTouched = true;
        if (st == ADDED) {
          Datom d = new Datom(s.e, s.a.id(), v, txEid, true);
          if (s.e == txEid) asserts.add(0, d); else asserts.add(d);
          if (s.e == txEid && s.a.id() == Schema.TX_INSTANT) instant = (Instant) v;
        } else {
          retracts.add(new Datom(s.e, s.a.id(), v, txEid, false));
          retractedOriginals.add(new Datom(s.e, s.a.id(), v, s.oldTx.get(en.getKey()), true));
        }
      }
    }
    Map<Object, Long> names = new LinkedHashMap<>();
    resolver.tempids.forEach((k, v) -> {
      if (k instanceof TxOp.Tempid tt) names.put(tt.name(), v);
    });
    return finish(asserts, retracts, retractedOriginals, schemaTouched, instant, resolver.nextUserId(),
        resolver.nextAttrId(), names, null);
  }

  /**
   * Builds the next snapshot from the change set; {@code tempids} maps the user's names to ids
   * (a map of this transaction's own: the result's tempids are added to it), {@code refs} are the
   * ref attributes of the change set when known (else null: they are found by a scan).
   */
  private Result finish(List<Datom> asserts, List<Datom> retracts, List<Datom> retractedOriginals,
      boolean schemaTouched, Instant instant, long nextUser, long nextAttr, Map<Object, Long> tempids,
      long[] knownRefs) {
    Functions fns = db.ctx().functions();
    Constraints.checkValues(db.schema(), asserts, fns);
    List<long[]> ensures = Constraints.ensures(asserts);
    if (ensures != null) {
      Result r = finishChecked(Constraints.withoutEnsures(asserts), retracts, retractedOriginals, schemaTouched, instant, nextUser, nextAttr,
          tempids, knownRefs);
      Constraints.checkEntities(r.after(), ensures, fns);
      return r;
    }
    if (indexer != null && !schemaTouched && !excises(asserts) && (!db.keepHistory() || retracts.isEmpty())
        && asserts.size() + retractedOriginals.size() < Indexes.PARALLEL_BATCH) {
      // nothing below can fail any more: update the indices while the caller commits (not for
      // a big batch: its index update already uses a second thread, and a third only competes)
      Indexes before = db.current();
      CompletableFuture<Indexes> current = CompletableFuture.supplyAsync(
          () -> before.update(retractedOriginals, asserts, this::isRefAttr), indexer);
      long[] refs = knownRefs != null ? knownRefs : refAttrs(asserts, retractedOriginals);
      Changes changes = new Changes(retractedOriginals, asserts, List.of(), refs);
      Snapshot shell = db.next(db.schema(), before, db.history(), nextUser, nextAttr, instant, changes);
      Result r = result(shell, asserts, retracts, tempids);
      long count = before.size() + asserts.size() - retractedOriginals.size();
      return new Result(r.after(), r.txData(), r.tempids(), new Deferred(current, count));
    }
    return finishChecked(asserts, retracts, retractedOriginals, schemaTouched, instant, nextUser, nextAttr, tempids,
        knownRefs);
  }

  /** {@link #finish} on the calling thread, for a transaction whose result must be checked. */
  private Result finishChecked(List<Datom> asserts, List<Datom> retracts, List<Datom> retractedOriginals,
      boolean schemaTouched, Instant instant, long nextUser, long nextAttr, Map<Object, Long> tempids,
      long[] knownRefs) {
    Indexes current = db.current().update(retractedOriginals, asserts, this::isRefAttr);
    Indexes history = db.history();
    List<Datom> h = List.of();
    if (db.keepHistory() && !retracts.isEmpty()) {
      h = new ArrayList<>(retractedOriginals.size() * 2);
      for (Datom d : retractedOriginals) if (!noHistory(d.a())) h.add(d);
      for (Datom d : retracts) if (!noHistory(d.a())) h.add(d);
      if (!h.isEmpty()) history = history.update(List.of(), h, this::isRefAttr);
    }
    long[] refs = knownRefs != null ? knownRefs : refAttrs(asserts, retractedOriginals);
    Changes changes = new Changes(retractedOriginals, asserts, h, refs);
    Snapshot after = db.next(db.schema(), current, history, nextUser, nextAttr, instant, changes);
    if (schemaTouched) {
      Schema schema = Schema.build(a -> () -> after.scan(IndexType.AEVT, a));
      SchemaCheck.validate(db, after, schema, slots.values().stream().map(s -> s.e).distinct().toList());
      return result(after.withSchema(schema), asserts, retracts, tempids);
    }
    return result(after, asserts, retracts, tempids);
  }

  /** True when the transaction asks for an excision: its writer then rewrites history (not deferred). */
  static boolean excises(List<Datom> asserts) {
    for (Datom d : asserts) if (d.a() == Schema.EXCISE) return true;
    return false;
  }

  /** The ref attributes of a change set, sorted. */
  private long[] refAttrs(List<Datom> asserts, List<Datom> retractedOriginals) {
    return java.util.stream.LongStream.concat(
        Arrays.stream(Indexes.refAttrs(asserts, this::isRefAttr)),
        Arrays.stream(Indexes.refAttrs(retractedOriginals, this::isRefAttr))).distinct().sorted().toArray();
  }

  /**
   * The result; tx-data is a read-only view of {@code asserts} (which the snapshot's changes
   * also hold, so nobody may change it) when nothing was retracted: a big import's list is not
   * copied again. {@code names} is this transaction's own map and gets {@code :db/current-tx}.
   */
  private Result result(Snapshot after, List<Datom> asserts, List<Datom> retracts, Map<Object, Long> names) {
    List<Datom> txData;
    if (retracts.isEmpty()) {
      txData = Collections.unmodifiableList(asserts);
    } else {
      List<Datom> all = new ArrayList<>(asserts.size() + retracts.size());
      all.addAll(asserts);
      all.addAll(retracts);
      txData = Collections.unmodifiableList(all);
    }
    names.put(":db/current-tx", txEid);
    return new Result(after, txData, names);
  }

  /** {@code :db/noHistory} attributes leave nothing in the history indices, as in Datomic. */
  private boolean noHistory(long a) {
    Attribute at = db.schema().byId(a);
    return at != null && at.noHistory();
  }

  private boolean isRefAttr(long a) {
    Attribute at = db.schema().byId(a);
    return at != null && at.isRef();
  }

  private Slot slot(long e, long a) {
    Attribute at = db.schema().byId(a);
    if (at == null) at = Schema.implicit(a, db.schema().identOf(a));
    return slot(e, at);
  }

  private Slot slot(long e, Attribute a) {
    EA key = new EA(e, a.id());
    Slot s = slots.get(key);
    if (s == null) {
      s = new Slot(e, a);
      if (!resolver.fresh.contains(e) && e != txEid) {
        for (Iterator<Datom> it = db.scan(IndexType.EAVT, e, a.id()); it.hasNext(); ) {
          Datom d = it.next();
          ValueKey k = new ValueKey(d.v());
          s.state.put(k, new int[] {EXISTING});
          s.oldTx.put(k, d.tx());
        }
      }
      slots.put(key, s);
    }
    return s;
  }

  private void op(Resolved r) {
    switch (r.kind()) {
      case TxResolver.ADD -> {
        if (!r.a().tupleAttrs().isEmpty()) {
          throw new DatahopException.Incorrect("tx/composite-tuple-write",
              r.a().ident() + " is a composite tuple kept by the database; write its source attributes "
                  + r.a().tupleAttrs() + " instead, in " + TxOp.describe(r.source()),
              Map.of("attribute", String.valueOf(r.a().ident()), "form", TxOp.describe(r.source())), null);
        }
        add(slot(r.e(), r.a()), r.v(), r);
      }
      case TxResolver.RETRACT -> retract(slot(r.e(), r.a()), new ValueKey(r.v()), r);
      case TxResolver.RETRACT_ALL -> {
        // the values before the transaction: one it adds is not retracted (as Datomic)
        Slot s = slot(r.e(), r.a());
        for (ValueKey k : List.copyOf(s.state.keySet())) {
          if (s.oldTx.containsKey(k)) retract(s, k, r);
        }
      }
      case TxResolver.CAS -> {
        Slot s = slot(r.e(), r.a());
        // compared with the value before the transaction, as Datomic: two equal cas ops both hold
        Object actual = null;
        for (ValueKey k : s.state.keySet()) {
          if (s.oldTx.containsKey(k)) actual = k.v();
        }
        if (!(r.expected() == null ? actual == null : Values.equal(actual, r.expected()))) {
          Map<String, Object> ctx = new HashMap<>();
          ctx.put("entity", r.e());
          ctx.put("attribute", String.valueOf(r.a().ident()));
          ctx.put("expected", String.valueOf(r.expected()));
          ctx.put("actual", String.valueOf(actual));
          throw new DatahopException.Conflict("tx/cas-failed",
              ":db/cas failed on entity " + r.e() + " " + r.a().ident() + ": expected " + r.expected()
                  + ", found " + actual,
              ctx, null);
        }
        add(s, r.v(), r);
      }
      case TxResolver.RETRACT_ENTITY -> retractEntity(r.e(), r, new HashSet<>());
      default -> throw new IllegalStateException();
    }
  }

  private void add(Slot s, Object v, Resolved r) {
    ValueKey k = new ValueKey(v);
    if (s.retractedExplicitly != null && s.retractedExplicitly.contains(k)) conflict(s, v, r);
    int[] st = s.state.get(k);
    if (st != null) {
      if (st[0] == RETRACTED) conflict(s, v, r);
      if (st[0] == EXISTING) {
        if (s.reasserted == null) s.reasserted = new HashSet<>();
        s.reasserted.add(k);
      }
      return; // redundant: already true
    }
    if (!s.a.many()) {
      for (Map.Entry<ValueKey, int[]> en : s.state.entrySet()) {
        int[] other = en.getValue();
        if (other[0] == ADDED || (other[0] == EXISTING && reasserted(s, en.getKey()))) {
          throw new DatahopException.Conflict("tx/cardinality-conflict",
              "two values for cardinality-one " + s.a.ident() + " of entity " + s.e + " in one transaction: "
                  + en.getKey().v() + " and " + v,
              context(s, v, en.getKey().v(), null), null);
        }
        if (other[0] == EXISTING) other[0] = RETRACTED;
      }
    }
    s.state.put(k, new int[] {ADDED});
  }

  private void retract(Slot s, ValueKey k, Resolved r) {
    noteRetraction(s, k, r);
    int[] st = s.state.get(k);
    if (st == null || st[0] == RETRACTED) return;
    if (st[0] == ADDED || reasserted(s, k)) conflict(s, k.v(), r);
    st[0] = RETRACTED;
  }

  private static boolean reasserted(Slot s, ValueKey k) {
    return s.reasserted != null && s.reasserted.contains(k);
  }

  /** Records an explicit retraction; two of a cardinality-one attribute conflict (as Datomic). */
  private void noteRetraction(Slot s, ValueKey k, Resolved r) {
    if (s.retractedExplicitly == null) s.retractedExplicitly = new HashSet<>();
    if (!s.a.many()) {
      for (ValueKey other : s.retractedExplicitly) {
        if (!other.equals(k)) {
          throw new DatahopException.Conflict("tx/datoms-conflict",
              "the transaction retracts two values of cardinality-one " + s.a.ident() + " of entity " + s.e
                  + ": " + TxOp.describe(other.v()) + " and " + TxOp.describe(k.v()),
              context(s, k.v(), other.v(), r), null);
        }
      }
    }
    s.retractedExplicitly.add(k);
  }

  private void conflict(Slot s, Object v, Resolved r) {
    throw new DatahopException.Conflict("tx/datoms-conflict",
        "the transaction both asserts and retracts [" + s.e + " " + s.a.ident() + " " + TxOp.describe(v) + "]",
        context(s, v, null, r), null);
  }

  /** The error context of a conflict on a slot: entity, attribute, value, the other value and form if any. */
  private static Map<String, Object> context(Slot s, Object v, Object other, Resolved r) {
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("entity", s.e);
    ctx.put("attribute", String.valueOf(s.a.ident()));
    ctx.put("value", String.valueOf(v));
    if (other != null) ctx.put("other", String.valueOf(other));
    if (r != null) ctx.put("form", TxOp.describe(r.source()));
    return ctx;
  }

  private void retractEntity(long e, Resolved r, Set<Long> seen) {
    if (!seen.add(e)) return;
    List<Long> components = new ArrayList<>();
    Set<Long> attrs = new HashSet<>();
    for (Iterator<Datom> it = db.scan(IndexType.EAVT, e); it.hasNext(); ) {
      Datom d = it.next();
      attrs.add(d.a());
      Attribute a = db.schema().byId(d.a());
      if (a != null && a.component() && d.v() instanceof Long c) components.add(c);
    }
    for (long a : attrs) {
      Slot s = slot(e, a);
      for (ValueKey k : List.copyOf(s.state.keySet())) {
        if (s.state.get(k)[0] == EXISTING) retract(s, k, r);
      }
    }
    for (Iterator<Datom> it = db.scan(IndexType.VAET, e); it.hasNext(); ) {
      Datom d = it.next();
      Slot s = slot(d.e(), d.a());
      ValueKey k = new ValueKey(e);
      int[] st = s.state.get(k);
      if (st != null && st[0] == EXISTING) retract(s, k, r);
    }
    for (long c : components) retractEntity(c, r, seen);
  }

  /** Recomputes composite tuples of every entity whose source attributes changed. */
  private void composites() {
    if (!db.schema().hasTuples()) return;
    Map<EA, Attribute> todo = new LinkedHashMap<>();
    for (Slot s : List.copyOf(slots.values())) {
      boolean changed = s.state.values().stream().anyMatch(st -> st[0] != EXISTING);
      if (!changed) continue;
      for (Attribute tuple : db.schema().tuplesFedBy(s.a.id())) todo.put(new EA(s.e, tuple.id()), tuple);
    }
    for (Map.Entry<EA, Attribute> en : todo.entrySet()) {
      long e = en.getKey().e();
      Attribute tuple = en.getValue();
      List<Object> value = new ArrayList<>();
      boolean any = false;
      for (var src : tuple.tupleAttrs()) {
        Long sid = db.schema().idOf(src);
        Object v = null;
        if (sid != null) {
          for (Map.Entry<ValueKey, int[]> sv : slot(e, sid).state.entrySet()) {
            if (sv.getValue()[0] != RETRACTED) v = sv.getKey().v();
          }
        }
        any |= v != null;
        value.add(v);
      }
      Slot ts = slot(e, tuple);
      for (int[] st : ts.state.values()) if (st[0] == EXISTING) st[0] = RETRACTED;
      if (any) {
        ValueKey k = new ValueKey(java.util.Collections.unmodifiableList(value));
        int[] st = ts.state.get(k);
        if (st != null) st[0] = EXISTING;
        else ts.state.put(k, new int[] {ADDED});
      }
    }
  }

  private void txInstant(Instant now) {
    Slot s = slot(txEid, Schema.TX_INSTANT);
    Instant last = db.lastTxInstant() == null ? Instant.EPOCH : db.lastTxInstant();
    Instant given = null;
    for (ValueKey k : s.state.keySet()) given = (Instant) k.v();
    if (given == null) {
      s.state.put(new ValueKey(txInstantFor(now)), new int[] {ADDED});
    } else if (given.isBefore(last)) {
      throw new DatahopException.Incorrect("tx/instant-in-past",
          ":db/txInstant " + given + " is before the previous transaction's " + last,
          Map.of("attribute", ":db/txInstant", "value", given.toString(), "previous", last.toString()), null);
    } else if (given.isAfter(now) && given.isAfter(last)) {
      // as Datomic (:db.error/future-tx-instant): a later transaction would have to be later still
      throw new DatahopException.Incorrect("tx/instant-in-future",
          ":db/txInstant " + given + " is in the future (now is " + now + ")",
          Map.of("attribute", ":db/txInstant", "value", given.toString(), "now", now.toString()), null);
    }
  }

  private void checkUnique() {
    Map<List<Object>, Long> claimed = new HashMap<>();
    Map<Long, Boolean> hasData = new HashMap<>();
    for (Slot s : slots.values()) {
      if (s.a.unique() == null) continue;
      boolean stored = hasData.computeIfAbsent(s.a.id(), db::hasAttribute);
      for (Map.Entry<ValueKey, int[]> en : s.state.entrySet()) {
        if (en.getValue()[0] != ADDED) continue;
        Object v = en.getKey().v();
        Long prior = claimed.putIfAbsent(List.of(s.a.id(), en.getKey()), s.e);
        if (prior != null && prior != s.e) uniqueConflict(s, v, prior);
        if (!stored) continue;
        for (Iterator<Datom> it = db.scan(IndexType.AVET, s.a.id(), v); it.hasNext(); ) {
          Datom d = it.next();
          if (d.e() == s.e) continue;
          Slot other = slots.get(new EA(d.e(), s.a.id()));
          int[] ost = other == null ? null : other.state.get(en.getKey());
          if (ost == null || ost[0] != RETRACTED) uniqueConflict(s, v, d.e());
        }
      }
    }
  }

  private static void uniqueConflict(Slot s, Object v, long other) {
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("entity", s.e);
    ctx.put("attribute", String.valueOf(s.a.ident()));
    ctx.put("value", String.valueOf(v));
    ctx.put("other", other);
    throw new DatahopException.Conflict("tx/unique-conflict",
        "unique " + s.a.ident() + " value " + TxResolver.describe(v) + " of entity " + s.e
            + " already belongs to entity " + other,
        ctx, null);
  }
}
