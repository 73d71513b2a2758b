package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Db}: one {@link Snapshot} seen through a view (as-of, since, history). Views are
 * computed while iterating, from the current indices and, when history is kept, the history
 * indices holding every retracted assertion together with its retraction.
 */
final class DbImpl implements Db {
  private final Snapshot snap;
  private final Long asOfT;
  private final Long sinceT;
  private final boolean history;

  DbImpl(Snapshot snap, Long asOfT, Long sinceT, boolean history) {
    if (asOfT != null && asOfT < snap.horizonT()) {
      throw new DatahopException.Incorrect("db/before-retention",
          "as-of t " + asOfT + " is before the history this database keeps: it starts at t " + snap.horizonT()
              + " (gc --keep-since gave up what came before)",
          Map.of("as-of", asOfT, "horizon", snap.horizonT()), null);
    }
    this.snap = snap;
    this.asOfT = asOfT;
    this.sinceT = sinceT;
    this.history = history;
  }

  DbImpl(Snapshot snap) {
    this(snap, null, null, false);
  }

  Snapshot snapshot() {
    return snap;
  }

  Schema schema() {
    return snap.schema();
  }

  Long asOfT() {
    return asOfT;
  }

  Long sinceT() {
    return sinceT;
  }

  private boolean plain() {
    return !history && asOfT == null && sinceT == null;
  }

  @Override
  public long basisT() {
    return snap.basisT();
  }

  @Override
  public Attribute attribute(Object attr) {
    Long id = attrId(attr);
    if (id == null) return null;
    Attribute a = snap.schema().byId(id);
    if (a == null && snap.schemaOnRead() && snap.schema().identOf(id) != null) {
      a = Schema.implicit(id, snap.schema().identOf(id));
    }
    return a;
  }

  Long attrId(Object attr) {
    if (attr instanceof Long l) return l;
    if (attr instanceof Integer i) return (long) i;
    Keyword k = TxInput.keyword(attr);
    return k == null ? null : snap.schema().idOf(k);
  }

  @Override
  public List<Attribute> attributes() {
    return snap.schema().attributes();
  }

  @Override
  public Long entid(Object eid) {
    if (eid instanceof Long l) return l >= 0 ? l : null;
    if (eid instanceof Integer i) return i >= 0 ? (long) i : null;
    if (eid instanceof Entity en) return en.id();
    if (eid instanceof Keyword k) return snap.schema().idOf(k);
    if (eid instanceof String s && s.startsWith(":")) return snap.schema().idOf(Keyword.of(s));
    if (eid instanceof List<?> l && l.size() == 2) {
      Attribute a = attribute(l.get(0));
      if (a == null || a.unique() == null) {
        throw new DatahopException.Incorrect("db/lookup-ref-attr-not-unique",
            "lookup ref " + l + " needs a unique attribute", Map.of("lookup-ref", String.valueOf(l)), null);
      }
      Object v = value(a, l.get(1));
      if (v == null) return null;
      Iterator<Datom> it = iterate(IndexType.AVET, new Object[] {a.id(), v});
      return it.hasNext() ? it.next().e() : null;
    }
    return null;
  }

  /** The stored form of {@code v} for attribute {@code a}, or null when it cannot match. */
  Object value(Attribute a, Object v) {
    if (a == null || a.valueType() == null) return Values.normalize(v);
    if (a.isRef()) return entid(v);
    return ValueType.coerce(a.valueType(), v);
  }

  @Override
  public Keyword ident(long eid) {
    return snap.schema().identOf(eid);
  }

  @Override
  public Iterable<Datom> datoms(IndexType index, Object... components) {
    Object[] comps = resolve(index, components);
    if (comps == null) return List.of();
    return () -> iterate(index, comps);
  }

  @Override
  public Iterable<Datom> seekDatoms(IndexType index, Object... components) {
    Object[] comps = resolve(index, components);
    if (comps == null) return List.of();
    Datom lo = DatomOrder.bound(index, comps, false);
    return () -> view(index, lo, null);
  }

  @Override
  public Iterable<Datom> indexRange(Object attr, Object start, Object end) {
    Attribute a = attribute(attr);
    if (a == null) return List.of();
    Object s = start == null ? Values.MIN : value(a, start);
    Object e = end == null ? Values.MAX : value(a, end);
    if (s == null || e == null) return List.of();
    Datom lo = DatomOrder.bound(IndexType.AVET, new Object[] {a.id(), s}, false);
    Datom hi = DatomOrder.bound(IndexType.AVET, new Object[] {a.id(), e}, false);
    return () -> Scans.filter(view(IndexType.AVET, lo, hi), d -> Values.compare(d.v(), e) < 0);
  }

  @Override
  public long count(IndexType index, Object... components) {
    Object[] comps = resolve(index, components);
    if (comps == null) return 0;
    Datom lo = DatomOrder.bound(index, comps, false);
    Datom hi = DatomOrder.bound(index, comps, true);
    long n = snap.current().get(index).count(lo, hi);
    if (plain() || snap.history() == null || !snap.keepHistory()) return n;
    return n + snap.history().get(index).count(lo, hi);
  }

  /** Datoms matching fully resolved leading components, through this view. */
  Iterator<Datom> iterate(IndexType index, Object[] comps) {
    if (comps.length == 4 && !plain()) {
      // as-of needs whole (e, a, v) groups, so range over three components and filter tx
      long tx = (Long) comps[3];
      Object[] three = java.util.Arrays.copyOf(comps, 3);
      return Scans.filter(iterate(index, three), d -> d.tx() == tx);
    }
    return view(index, DatomOrder.bound(index, comps, false), DatomOrder.bound(index, comps, true));
  }

  private Iterator<Datom> view(IndexType index, Datom lo, Datom hi) {
    Iterator<Datom> cur = snap.current().get(index).slice(lo, hi);
    if (plain()) return cur;
    var order = DatomOrder.of(index);
    Iterator<Datom> it;
    if (history) {
      it = Scans.merge(cur, snap.history().get(index).slice(lo, hi), order);
      if (asOfT != null) {
        long max = Ids.txEid(asOfT);
        it = Scans.filter(it, d -> d.tx() <= max);
      }
    } else if (asOfT != null) {
      long max = Ids.txEid(asOfT);
      it = Scans.merge(Scans.filter(cur, d -> d.tx() <= max),
          Scans.asOfHistory(snap.history().get(index).slice(lo, hi), max), order);
    } else {
      it = cur;
    }
    if (sinceT != null) {
      long min = Ids.txEid(sinceT);
      it = Scans.filter(it, d -> d.tx() > min);
    }
    return it;
  }

  /** Resolves user-given components to ids and stored values; null when nothing can match. */
  private Object[] resolve(IndexType index, Object[] components) {
    if (components.length > 4) {
      throw new DatahopException.Incorrect("db/too-many-components",
          index + " has 4 components, got " + components.length, Map.of("index", index.name()), null);
    }
    String order = index.name().toLowerCase();
    Object[] out = new Object[components.length];
    Attribute attr = null;
    for (int i = 0; i < components.length; i++) {
      if (order.charAt(i) == 'a') {
        attr = attribute(components[i]);
        if (attr == null) return null;
      }
    }
    for (int i = 0; i < components.length; i++) {
      Object c = components[i];
      if (c == null) {
        throw new DatahopException.Incorrect("db/nil-component",
            "component " + (i + 1) + " of " + index + " is nil; leave trailing components out instead",
            Map.of("index", index.name()), null);
      }
      Object r;
      switch (order.charAt(i)) {
        case 'e' -> r = entid(c);
        case 'a' -> r = attr.id();
        case 'v' -> r = index == IndexType.VAET ? entid(c) : value(attr, c);
        default -> r = txOf(c);
      }
      if (r == null) return null;
      out[i] = r;
    }
    return out;
  }

  private static Long txOf(Object c) {
    long l = c instanceof Number n ? n.longValue() : -1;
    if (l < 0) return null;
    return Ids.isTx(l) ? l : Ids.txEid(l);
  }

  /** The t named by a t, a tx entity id, or an instant (the last tx at or before it). */
  long resolveT(Object t) {
    if (t instanceof Date d) t = d.toInstant();
    if (t instanceof Instant inst) {
      Iterator<Datom> it = snap.current().avet().rslice(
          DatomOrder.bound(IndexType.AVET, new Object[] {Schema.TX_INSTANT, inst}, true),
          DatomOrder.bound(IndexType.AVET, new Object[] {Schema.TX_INSTANT}, false));
      return it.hasNext() ? Ids.tOf(it.next().e()) : -1;
    }
    if (t instanceof Number n) {
      long l = n.longValue();
      return Ids.isTx(l) ? Ids.tOf(l) : l;
    }
    throw new DatahopException.Incorrect("db/bad-t",
        "a point in time is a t, a tx entity id or an instant, got " + t, Map.of("t", String.valueOf(t)), null);
  }

  private void requireHistory(String what) {
    if (!snap.keepHistory()) {
      throw new DatahopException.Unsupported("db/no-history",
          what + " needs a database created with keep-history; this one keeps only current datoms",
          Map.of("view", what), null);
    }
  }

  @Override
  public Db asOf(Object t) {
    requireHistory("asOf");
    long at = resolveT(t);
    return new DbImpl(snap, asOfT == null ? at : Math.min(asOfT, at), sinceT, history);
  }

  @Override
  public Db since(Object t) {
    return new DbImpl(snap, asOfT, resolveT(t), history);
  }

  @Override
  public Db history() {
    requireHistory("history");
    return new DbImpl(snap, asOfT, sinceT, true);
  }

  @Override
  public boolean isHistory() {
    return history;
  }

  @Override
  public TxReport with(Object txData) {
    Transactor.Result r = Transactor.run(snap, txData, Instant.now());
    return new TxReport(this, new DbImpl(r.after()), r.txData(), r.tempids());
  }

  @Override
  public Map<Keyword, Object> pull(Object pattern, Object eid) {
    noPullFromHistory();
    return Pull.pull(this, pattern, eid);
  }

  @Override
  public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) {
    noPullFromHistory();
    return Pull.pullMany(this, pattern, eids);
  }

  /** A history db holds retracted values beside current ones: pull has no meaning there (Datomic refuses too). */
  private void noPullFromHistory() {
    if (history) {
      throw new io.datahop.DatahopException.Incorrect(
          "pull/history", "cannot pull from a history db", Map.of(), null);
    }
  }

  @Override
  public Entity entity(Object eid) {
    Long id = entid(eid);
    return id == null ? null : new EntityImpl(this, id);
  }

  @Override
  public Optional<DbRef> ref() {
    if (snap.address() == null) return Optional.empty();
    var store = snap.ctx().store();
    return Optional.of(new DbRef(store.id(), store.locator(), snap.address(), asOfT, sinceT, history));
  }

  /** This Db's filters applied to another snapshot of the same store. */
  DbImpl withView(Snapshot other) {
    return new DbImpl(other, asOfT, sinceT, history);
  }

  @Override
  public Object q(Object query, Object... inputs) {
    Object[] args = new Object[inputs.length + 1];
    args[0] = this;
    System.arraycopy(inputs, 0, args, 1, inputs.length);
    return io.datahop.query.Datalog.q(query, args);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof DbImpl d) || snap.address() == null || d.snap.address() == null) {
      return o instanceof DbImpl d2 && d2.snap == snap && Objects.equals(asOfT, d2.asOfT)
          && Objects.equals(sinceT, d2.sinceT) && history == d2.history;
    }
    return snap.address().equals(d.snap.address()) && Objects.equals(asOfT, d.asOfT)
        && Objects.equals(sinceT, d.sinceT) && history == d.history;
  }

  @Override
  public int hashCode() {
    return Objects.hash(snap.address() == null ? System.identityHashCode(snap) : snap.address(), asOfT, sinceT, history);
  }

  @Override
  public String toString() {
    return "#datahop/db {:basis-t " + snap.basisT() + (snap.address() == null ? " :speculative true" : " :commit \""
        + snap.address().hex().substring(0, 12) + "\"") + (asOfT == null ? "" : " :as-of " + asOfT)
        + (sinceT == null ? "" : " :since " + sinceT) + (history ? " :history true" : "") + "}";
  }

  List<Datom> list(IndexType index, Object... comps) {
    List<Datom> out = new ArrayList<>();
    datoms(index, comps).forEach(out::add);
    return out;
  }
}
