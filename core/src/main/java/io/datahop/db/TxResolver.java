package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the entity and attribute positions of parsed ops to ids: attributes by ident (or, for
 * schema-on-read, installs unknown ones), tempids by upsert through {@code :db.unique/identity}
 * attributes (unifying tempids that claim the same identity) or else by allocating new ids, lookup
 * refs and idents against the database before the transaction. Values are coerced to their
 * attribute's type.
 */
final class TxResolver {
  static final String TX_TEMPID = "datomic.tx";
  static final Keyword CURRENT_TX = Keyword.of("db/current-tx");

  /** A resolved op; {@code kind} is one of the constants, {@code v}/{@code expected} stored values. */
  record Resolved(int kind, long e, Attribute a, Object v, Object expected, Object source) {}

  static final int ADD = 0, RETRACT = 1, RETRACT_ALL = 2, RETRACT_ENTITY = 3, CAS = 4;

  private final Snapshot db;
  private final long txEid;
  private final Map<Keyword, Attribute> installed = new HashMap<>();
  final List<Datom> installs = new ArrayList<>();
  private long nextUser;
  private long nextAttr;
  /** tempid to entity id, in first-seen order. */
  final Map<Object, Long> tempids = new LinkedHashMap<>();
  /** ids allocated by this transaction: they have no datoms in the database yet. */
  final Set<Long> fresh = new HashSet<>();

  TxResolver(Snapshot db, long txEid) {
    this.db = db;
    this.txEid = txEid;
    this.nextUser = db.nextUserId();
    this.nextAttr = db.nextAttrId();
  }

  long nextUserId() {
    return nextUser;
  }

  long nextAttrId() {
    return nextAttr;
  }

  List<Resolved> resolve(List<TxOp> ops) {
    // 1. attributes, and values of non-ref attributes
    int n = ops.size();
    Attribute[] attrs = new Attribute[n];
    Object[] vals = new Object[n];
    Object[] exps = new Object[n];
    for (int i = 0; i < n; i++) {
      TxOp op = ops.get(i);
      switch (op) {
        case TxOp.Add a -> {
          attrs[i] = attribute(a.a(), op);
          vals[i] = attrs[i].isRef() ? refPosition(a.v()) : value(attrs[i], a.v(), op);
        }
        case TxOp.Retract r -> {
          attrs[i] = attribute(r.a(), op);
          vals[i] = r.v() == TxOp.ABSENT ? TxOp.ABSENT : attrs[i].isRef() ? refPosition(r.v()) : value(attrs[i], r.v(), op);
        }
        case TxOp.Cas c -> {
          attrs[i] = attribute(c.a(), op);
          if (attrs[i].many()) {
            throw new DatahopException.Incorrect("tx/cas-cardinality-many",
                ":db/cas needs a cardinality-one attribute, " + attrs[i].ident() + " is many: " + op.form(),
                Map.of("attribute", String.valueOf(attrs[i].ident())), null);
          }
          vals[i] = attrs[i].isRef() ? refPosition(c.v()) : value(attrs[i], c.v(), op);
          exps[i] = c.expected() == null ? null : attrs[i].isRef() ? refPosition(c.expected()) : value(attrs[i], c.expected(), op);
        }
        case TxOp.RetractEntity re -> {}
      }
    }
    // 2. upserts: a tempid with an identity value that exists is that entity
    Map<Object, Object> alias = new HashMap<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<List<Object>, Object> claims = new HashMap<>();
      for (int i = 0; i < n; i++) {
        if (!(ops.get(i) instanceof TxOp.Add add) || !attrs[i].isIdentity()) continue;
        Object temp = canonical(add.e(), alias);
        if (!isTempid(temp) || tempids.containsKey(temp)) continue;
        Object v = vals[i];
        if (attrs[i].isRef()) {
          v = resolvedOrNull(v, alias);
          if (v == null) continue;
        }
        Long existing = lookup(attrs[i].id(), v);
        if (existing != null) {
          tempids.put(temp, existing);
          changed = true;
        } else {
          Object prior = claims.putIfAbsent(List.of(attrs[i].id(), new ValueKey(v)), temp);
          if (prior != null && !prior.equals(temp)) {
            alias.put(temp, prior);
            changed = true;
          }
        }
      }
    }
    // an upserted tempid must not resolve two ways
    for (int i = 0; i < n; i++) {
      if (!(ops.get(i) instanceof TxOp.Add add) || !attrs[i].isIdentity()) continue;
      Object temp = canonical(add.e(), alias);
      Long id = tempids.get(temp);
      if (id == null || attrs[i].isRef()) continue;
      Long owner = lookup(attrs[i].id(), vals[i]);
      if (owner != null && !owner.equals(id)) {
        throw new DatahopException.Conflict("tx/upsert-conflict",
            "tempid " + temp + " upserts to entity " + id + " and, through " + attrs[i].ident() + " "
                + vals[i] + ", to entity " + owner,
            Map.of("tempid", String.valueOf(temp), "attribute", String.valueOf(attrs[i].ident()),
                "value", String.valueOf(vals[i]), "entity", id, "other", owner), null);
      }
    }
    // 3. new ids for the rest, in order of appearance; attributes go to the db partition
    Set<Object> attributeTempids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (ops.get(i) instanceof TxOp.Add a && attrs[i].id() == Schema.VALUE_TYPE) {
        attributeTempids.add(canonical(a.e(), alias));
      }
    }
    for (int i = 0; i < n; i++) {
      TxOp op = ops.get(i);
      Object e = switch (op) {
        case TxOp.Add a -> a.e();
        case TxOp.Retract r -> r.e();
        case TxOp.Cas c -> c.e();
        case TxOp.RetractEntity re -> re.e();
      };
      allocate(e, alias, attributeTempids.contains(canonical(e, alias)));
      if (attrs[i] != null && attrs[i].isRef()) {
        allocate(vals[i], alias, false);
        if (exps[i] != null) allocate(exps[i], alias, false);
      }
    }
    for (Map.Entry<Object, Object> en : alias.entrySet()) {
      tempids.put(en.getKey(), tempids.get(canonical(en.getKey(), alias)));
    }
    valueOnlyTempids(ops, attrs, vals, exps, alias);
    // 4. everything to ids
    List<Resolved> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      TxOp op = ops.get(i);
      if (op instanceof TxOp.RetractEntity re && re.e() instanceof TxOp.LookupRef lr) {
        // retracting an entity that is not there changes nothing (as Datomic)
        Long e = lookupRefOrNull(lr, op);
        if (e != null) out.add(new Resolved(RETRACT_ENTITY, e, null, null, null, op.source()));
        continue;
      }
      switch (op) {
        case TxOp.Add a -> out.add(new Resolved(ADD, subject(a.e(), op), attrs[i], refVal(attrs[i], vals[i], op), null, op.source()));
        case TxOp.Retract r -> out.add(vals[i] == TxOp.ABSENT
            ? new Resolved(RETRACT_ALL, subject(r.e(), op), attrs[i], null, null, op.source())
            : new Resolved(RETRACT, subject(r.e(), op), attrs[i], refVal(attrs[i], vals[i], op), null, op.source()));
        case TxOp.Cas c -> out.add(new Resolved(CAS, subject(c.e(), op), attrs[i], refVal(attrs[i], vals[i], op),
            exps[i] == null ? null : refVal(attrs[i], exps[i], op), op.source()));
        case TxOp.RetractEntity re -> out.add(new Resolved(RETRACT_ENTITY, eid(re.e(), op), null, null, null, op.source()));
      }
    }
    return out;
  }

  private final Map<Long, Boolean> attrHasData = new HashMap<>();

  /** AVET lookup, skipped for attributes with no datoms yet (an import's identity attribute). */
  private Long lookup(long a, Object v) {
    if (!attrHasData.computeIfAbsent(a, db::hasAttribute)) return null;
    return db.lookup(a, v);
  }

  private static boolean isTempid(Object o) {
    return o instanceof TxOp.Tempid || o instanceof TxOp.AutoTempid;
  }

  private static Object canonical(Object t, Map<Object, Object> alias) {
    Object c = t;
    for (int guard = 0; alias.containsKey(c) && guard < 1000; guard++) c = alias.get(c);
    return c;
  }

  private boolean isTxTempid(Object t) {
    return (t instanceof TxOp.Tempid tt && TX_TEMPID.equals(tt.name())) || t == CURRENT_TX;
  }

  private Object resolvedOrNull(Object v, Map<Object, Object> alias) {
    if (v instanceof Long) return v;
    Object c = canonical(v, alias);
    if (isTempid(c)) return tempids.get(c);
    return null;
  }

  private void allocate(Object pos, Map<Object, Object> alias, boolean attribute) {
    if (!isTempid(pos)) return;
    if (pos instanceof TxOp.Tempid t && t.name() instanceof Tempid dbId) partition(dbId);
    Object c = canonical(pos, alias);
    if (tempids.containsKey(c)) return;
    if (isTxTempid(c)) {
      tempids.put(c, txEid);
      return;
    }
    long id = attribute ? nextAttr++ : nextUser++;
    tempids.put(c, id);
    fresh.add(id);
  }

  private static final Keyword PART_DB = Keyword.of("db.part/db");
  private static final Keyword PART_USER = Keyword.of("db.part/user");

  /**
   * Checks the partition of a {@code #db/id} tempid, as Datomic: {@code :db.part/db}, {@code
   * :db.part/user}, or an ident the database has that is not an attribute (a partition installed
   * with {@code :db.install/_partition}; datahop keeps no mark of it, so an enum ident passes too).
   */
  private void partition(Tempid t) {
    Keyword p = t.partition();
    if (p == PART_DB || p == PART_USER) return;
    Long id = db.schema().idOf(p);
    if (id == null) {
      throw new DatahopException.Incorrect("tx/unknown-partition",
          "tempid " + t + " names no partition: no entity has :db/ident " + p,
          Map.of("tempid", t.toString(), "partition", p.toString()), null);
    }
    if (db.schema().byId(id) != null) {
      throw new DatahopException.Incorrect("tx/not-a-partition",
          "tempid " + t + ": " + p + " is an attribute, not a partition",
          Map.of("tempid", t.toString(), "partition", p.toString()), null);
    }
  }

  /** The value position of a ref attribute, normalized to the entity-position forms. */
  private static Object refPosition(Object v) {
    if (v instanceof TxOp.AutoTempid || v instanceof TxOp.Tempid) return v;
    if (v instanceof Keyword) return v;
    return TxInput.entityRef(v);
  }

  private Object refVal(Attribute a, Object v, TxOp op) {
    return a.isRef() ? eid(v, op) : v;
  }

  /**
   * Resolves the entity an assertion, retraction or cas is about. A literal id must have been
   * allocated already (as Datomic: {@code :db.error/invalid-entity-id}); otherwise a mistyped
   * number would silently create a stray entity that no tempid or lookup ref reaches. Ref values
   * and {@code :db/retractEntity} are not checked, also as Datomic.
   */
  private long subject(Object pos, TxOp op) {
    long e = eid(pos, op);
    if (pos instanceof Long && !allocated(e)) {
      throw new DatahopException.Incorrect("tx/invalid-entity-id",
          "invalid entity id " + e + " (this database has not allocated it) in " + op.form(),
          Map.of("entity", e, "form", op.form()), null);
    }
    return e;
  }

  /** True for ids this database has handed out: system and attribute ids, past txs, entities. */
  private boolean allocated(long e) {
    if (e >= Ids.USER_PART) return e < nextUser;
    if (e >= Ids.TX_PART) return e <= txEid;
    return e > 0 && e < nextAttr;
  }

  /** Resolves an entity position to an id. */
  long eid(Object pos, TxOp op) {
    if (pos instanceof Long l) return l;
    if (isTempid(pos)) {
      if (isTxTempid(pos)) return txEid;
      Long id = tempids.get(pos);
      if (id != null) return id;
    }
    if (pos == CURRENT_TX) return txEid;
    if (pos instanceof Keyword k) {
      Long id = db.schema().idOf(k);
      if (id == null) {
        throw new DatahopException.Incorrect("tx/unknown-ident",
            "no entity has :db/ident " + k + " in " + op.form(),
            Map.of("ident", k.toString(), "form", op.form()), null);
      }
      return id;
    }
    if (pos instanceof TxOp.LookupRef lr) return lookupRef(lr, op);
    throw new DatahopException.Incorrect("tx/bad-entity-id",
        "cannot resolve entity " + pos + " in " + op.form(),
        Map.of("entity", String.valueOf(pos), "form", op.form()), null);
  }

  /**
   * Refuses a tempid that only ever stands as a value (of a ref, or of a reverse ref): no op of
   * this transaction is about it, so the reference would point at an entity with no datoms —
   * usually a misspelt tempid (as Datomic: {@code :db.error/tempid-not-an-entity}).
   */
  private void valueOnlyTempids(List<TxOp> ops, Attribute[] attrs, Object[] vals, Object[] exps, Map<Object, Object> alias) {
    Set<Object> subjects = new HashSet<>();
    for (TxOp op : ops) {
      // any op about the tempid counts, even a retraction (which changes nothing): as Datomic
      if (op instanceof TxOp.Add a) subjects.add(canonical(a.e(), alias));
      else if (op instanceof TxOp.Cas c) subjects.add(canonical(c.e(), alias));
      else if (op instanceof TxOp.Retract rt) subjects.add(canonical(rt.e(), alias));
    }
    for (int i = 0; i < ops.size(); i++) {
      if (attrs[i] == null || !attrs[i].isRef()) continue;
      for (Object v : new Object[] {vals[i], exps[i]}) {
        if (!isTempid(v) || isTxTempid(v)) continue;
        Object c = canonical(v, alias);
        if (subjects.contains(c) || isTxTempid(c)) continue;
        String name = v instanceof TxOp.Tempid t ? String.valueOf(t.name()) : String.valueOf(v);
        throw new DatahopException.Incorrect("tx/tempid-not-an-entity",
            "tempid " + TxOp.describe(name) + " is used only as a value: no op of this transaction"
                + " is about it, in " + ops.get(i).form(),
            Map.of("tempid", name, "form", ops.get(i).form()), null);
      }
    }
  }

  private long lookupRef(TxOp.LookupRef lr, TxOp op) {
    Long e = lookupRefOrNull(lr, op);
    if (e == null) {
      throw new DatahopException.Incorrect("tx/lookup-ref-not-found",
          "lookup ref " + lr + " matches no entity, in " + op.form(),
          Map.of("lookup-ref", lr.toString(), "form", op.form()), null);
    }
    return e;
  }

  /** The entity a lookup ref names, or null when none has that value; throws for a non-unique attribute. */
  private Long lookupRefOrNull(TxOp.LookupRef lr, TxOp op) {
    Attribute a = attributeOrNull(lr.attr());
    if (a == null || a.unique() == null) {
      throw new DatahopException.Incorrect("tx/lookup-ref-attr-not-unique",
          "lookup ref " + lr + " needs a unique attribute" + (a == null ? " (unknown attribute)" : ""),
          Map.of("lookup-ref", lr.toString(), "form", op.form()), null);
    }
    Object v = a.isRef() ? lr.value() : value(a, lr.value(), op);
    return db.lookup(a.id(), v);
  }

  private Attribute attributeOrNull(Object a) {
    Keyword k = a instanceof Long ? null : TxInput.keyword(a);
    Long id = a instanceof Long l ? l : k == null ? null : db.schema().idOf(k);
    if (k != null && installed.containsKey(k)) return installed.get(k);
    if (id == null) return null;
    Attribute at = db.schema().byId(id);
    if (at == null && db.schemaOnRead()) at = Schema.implicit(id, db.schema().identOf(id));
    return at;
  }

  private Attribute attribute(Object a, TxOp op) {
    Attribute at = attributeOrNull(a);
    if (at != null) return at;
    Keyword k = TxInput.keyword(a);
    if (k != null && db.schemaOnRead() && db.schema().idOf(k) == null) {
      long id = nextAttr++;
      installs.add(new Datom(id, Schema.IDENT, k, txEid, true));
      Attribute implicit = Schema.implicit(id, k);
      installed.put(k, implicit);
      return implicit;
    }
    throw new DatahopException.Incorrect("tx/unknown-attribute",
        "unknown attribute " + a + " in " + op.form()
            + (k != null && db.schema().idOf(k) != null ? " (the entity is not an attribute)" : " (transact its schema first)"),
        Map.of("attribute", String.valueOf(a), "form", op.form()), null);
  }

  private Object value(Attribute a, Object v, TxOp op) {
    if (v == null) {
      throw new DatahopException.Incorrect("tx/nil-value",
          "nil is not a value, for " + a.ident() + " in " + op.form(),
          Map.of("attribute", String.valueOf(a.ident()), "form", op.form()), null);
    }
    if (a.valueType() == null) { // schema-on-read
      Object nv = Values.normalize(v);
      Values.typeTag(nv);
      return nv;
    }
    Object c = ValueType.coerceTx(a.valueType(), v);
    if (c == null) {
      throw new DatahopException.Incorrect("tx/wrong-type",
          "value " + describe(v) + " does not fit " + a.ident() + " of type " + a.valueType() + ", in " + op.form(),
          Map.of("attribute", String.valueOf(a.ident()), "value", describe(v),
              "type", String.valueOf(a.valueType()), "form", op.form()), null);
    }
    if (a.valueType() == ValueType.TUPLE) checkTuple(a, (List<?>) c, op);
    return c;
  }

  private static void checkTuple(Attribute a, List<?> t, TxOp op) {
    List<Keyword> types = a.tupleTypes();
    boolean ok = true;
    if (!types.isEmpty()) {
      ok = t.size() == types.size();
      for (int i = 0; ok && i < t.size(); i++) {
        ok = t.get(i) == null || ValueType.coerce(types.get(i), t.get(i)) != null;
      }
    } else if (a.tupleType() != null) {
      for (Object o : t) ok &= o == null || ValueType.coerce(a.tupleType(), o) != null;
    }
    if (t.size() > 8 || t.size() < 2 && a.tupleAttrs().isEmpty()) ok = false;
    if (!ok) {
      throw new DatahopException.Incorrect("tx/wrong-type",
          "tuple " + t + " does not fit " + a.ident() + " (" + (types.isEmpty() ? a.tupleType() : types)
              + ", 2 to 8 elements), in " + op.form(),
          Map.of("attribute", String.valueOf(a.ident()), "value", String.valueOf(t), "form", op.form()), null);
    }
  }

  static String describe(Object v) {
    return v == null ? "nil" : v.getClass().getSimpleName() + " " + (v instanceof String s ? '"' + s + '"' : v);
  }

  /** Equality/hash of stored values (byte arrays by content), for use as a map key. */
  record ValueKey(Object v) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ValueKey k && Values.equal(v, k.v);
    }

    @Override
    public int hashCode() {
      return Values.hash(v);
    }
  }
}
