package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns tx-data as the user wrote it (EDN text, Java lists of maps and vectors, {@code {:tx-data
 * …}}) into primitive {@link TxOp}s: entity maps become adds, nested maps become new entities,
 * {@code :_attr} keys become adds on the other entity, collections become one add per value.
 */
final class TxInput {
  static final Keyword DB_ID = Keyword.of("db/id");
  static final Keyword TX_DATA = Keyword.of("tx-data");
  private static final Keyword ADD = Keyword.of("db/add");
  private static final Keyword RETRACT = Keyword.of("db/retract");
  private static final Keyword RETRACT_ENTITY = Keyword.of("db/retractEntity");
  private static final Keyword FN_RETRACT_ENTITY = Keyword.of("db.fn/retractEntity");
  private static final Keyword CAS = Keyword.of("db/cas");
  private static final Keyword FN_CAS = Keyword.of("db.fn/cas");
  private static final Keyword PART_TX = Keyword.of("db.part/tx");
  /**
   * Datomic's schema installation attributes. An entity that asserts {@code :db/valueType} is an
   * attribute and a change to an attribute's entity alters it, so {@code :db.install/attribute}
   * and {@code :db.alter/attribute} add nothing; an ident entity installed as a partition is one
   * ({@link TxResolver}). Their datoms are accepted, so Datomic files transact unchanged, and not
   * kept: {@code [:db.part/db :db.install/attribute ?a]} finds nothing.
   */
  static final Set<Keyword> INSTALL = Set.of(Keyword.of("db.install/attribute"),
      Keyword.of("db.install/partition"), Keyword.of("db.alter/attribute"));

  private final Schema schema;
  private final List<TxOp> ops = new ArrayList<>();
  private int autoTempids;

  private TxInput(Schema schema) {
    this.schema = schema;
  }

  /** The ops of {@code txData}, in order. */
  static List<TxOp> parse(Object txData, Schema schema) {
    TxInput in = new TxInput(schema);
    for (Object form : forms(txData)) in.form(form);
    return in.ops;
  }

  /** The list of tx forms inside {@code txData}. */
  static List<?> forms(Object txData) {
    Object data = txData instanceof String s ? EdnBridge.read(s) : txData;
    if (data instanceof Map<?, ?> m) {
      Object inner = null;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (keyword(e.getKey()) == TX_DATA) inner = e.getValue();
      }
      if (inner == null) {
        throw new DatahopException.Incorrect("tx/bad-tx-data",
            "a map of tx-data needs a :tx-data key, got keys " + m.keySet(),
            Map.of("keys", String.valueOf(m.keySet())), null);
      }
      data = inner;
    }
    if (data instanceof Object[] arr) data = List.of(arr);
    if (!(data instanceof Collection<?> c)) {
      throw new DatahopException.Incorrect("tx/bad-tx-data",
          "tx-data must be a list of entity maps and [:db/add …] vectors, got " + describe(data),
          Map.of("tx-data", describe(data)), null);
    }
    return c instanceof List<?> l ? l : new ArrayList<>(c);
  }

  private static String describe(Object o) {
    return o == null ? "nil" : o.getClass().getSimpleName() + " " + TxOp.describe(o);
  }

  /** A keyword from a Keyword, {@code "name"} or {@code ":name"}; null for anything else. */
  static Keyword keyword(Object o) {
    if (o instanceof Keyword k) return k;
    if (o instanceof String s && !s.isEmpty()) return Keyword.of(s);
    return null;
  }

  private void form(Object form) {
    if (form instanceof Map<?, ?> m) {
      entityMap(m, form);
    } else if (form instanceof List<?> l) {
      vector(l);
    } else if (form instanceof Object[] arr) {
      vector(List.of(arr));
    } else {
      throw new DatahopException.Incorrect("tx/bad-tx-data",
          "each tx form must be an entity map or a vector like [:db/add e a v], got " + describe(form),
          Map.of("form", describe(form)), null);
    }
  }

  private void vector(List<?> l) {
    Keyword op = l.isEmpty() ? null : keyword(l.get(0));
    if (op == ADD && l.size() == 4 && l.get(2) != null && INSTALL.contains(keyword(l.get(2)))) {
      entityRef(l.get(1));
      entityRef(l.get(3));
    } else if (op == ADD && l.size() == 4) {
      ops.add(new TxOp.Add(entityRef(l.get(1)), l.get(2), l.get(3), l));
    } else if (op == RETRACT && l.size() == 4) {
      ops.add(new TxOp.Retract(entityRef(l.get(1)), l.get(2), l.get(3), l));
    } else if (op == RETRACT && l.size() == 3) {
      ops.add(new TxOp.Retract(existingEntity(l.get(1), l), l.get(2), TxOp.ABSENT, l));
    } else if ((op == RETRACT_ENTITY || op == FN_RETRACT_ENTITY) && l.size() == 2) {
      ops.add(new TxOp.RetractEntity(entityRef(l.get(1)), l));
    } else if ((op == CAS || op == FN_CAS) && l.size() == 5) {
      ops.add(new TxOp.Cas(existingEntity(l.get(1), l), l.get(2), l.get(3), l.get(4), l));
    } else {
      throw new DatahopException.Incorrect("tx/bad-op",
          "unknown or malformed tx operation " + TxOp.describe(l)
              + " (expected [:db/add e a v], [:db/retract e a v], [:db/retract e a],"
              + " [:db/retractEntity e] or [:db/cas e a old new])",
          Map.of("form", TxOp.describe(l)), null);
    }
  }

  /**
   * The entity of {@code [:db/retract e a]} or a cas, which must exist already: a tempid names a
   * new entity, with nothing to retract or compare (as Datomic, which refuses it there; a
   * {@code [:db/retract tempid a v]} it takes, as a no-op, and so does datahop).
   */
  private static Object existingEntity(Object e, List<?> form) {
    Object ref = entityRef(e);
    if (ref instanceof TxOp.Tempid t && !TxResolver.TX_TEMPID.equals(t.name())) {
      throw new DatahopException.Incorrect("tx/tempid-not-allowed",
          "a tempid names a new entity, which has nothing to retract or compare: " + TxOp.describe(form),
          Map.of("form", TxOp.describe(form)), null);
    }
    return ref;
  }

  /** An entity position as written: ids stay longs, tempids and lookup refs get wrapped. */
  static Object entityRef(Object e) {
    if (e instanceof String s) {
      if (s.startsWith(":")) return Keyword.of(s);
      return new TxOp.Tempid(s);
    }
    if (e instanceof Tempid t) {
      // the tx partition names the transaction itself, as in Datomic
      return new TxOp.Tempid(t.partition() == PART_TX ? TxResolver.TX_TEMPID : t);
    }
    if (e instanceof Integer i) e = (long) i;
    if (e instanceof Long l) return l < 0 ? new TxOp.Tempid(l) : l;
    if (e instanceof List<?> l && l.size() == 2) return new TxOp.LookupRef(l.get(0), l.get(1));
    if (e instanceof Keyword || e instanceof TxOp.AutoTempid || e instanceof TxOp.Tempid
        || e instanceof TxOp.LookupRef) {
      return e;
    }
    throw new DatahopException.Incorrect("tx/bad-entity-id",
        "not an entity id, tempid, ident or lookup ref: " + describe(e),
        Map.of("entity", describe(e)), null);
  }

  /** Expands one entity map; returns the entity position it stands for. */
  private Object entityMap(Map<?, ?> m, Object source) {
    Object e = null;
    for (Map.Entry<?, ?> en : m.entrySet()) {
      if (keyword(en.getKey()) == DB_ID) e = entityRef(en.getValue());
    }
    if (e == null) e = new TxOp.AutoTempid(++autoTempids);
    boolean any = false;
    for (Map.Entry<?, ?> en : m.entrySet()) {
      Keyword k = keyword(en.getKey());
      if (k == null) {
        throw new DatahopException.Incorrect("tx/bad-attribute",
            "entity map keys must be keywords or strings, got " + describe(en.getKey()),
            Map.of("key", describe(en.getKey())), null);
      }
      if (k == DB_ID) continue;
      any = true;
      boolean reverse = k.name().startsWith("_");
      Keyword attr = reverse ? Keyword.of(k.namespace(), k.name().substring(1)) : k;
      if (INSTALL.contains(attr)) {
        for (Object v : values(null, en.getValue(), reverse)) entityRef(v); // well formed, no datom
        continue;
      }
      Attribute at = schema.byIdent(attr);
      for (Object v : values(at, en.getValue(), reverse)) {
        if (reverse) {
          Object other = v instanceof Map<?, ?> nested ? entityMap(nested, nested) : entityRef(v);
          ops.add(new TxOp.Add(other, attr, e, source));
        } else {
          Object val = v;
          if (v instanceof Map<?, ?> nested && (at == null || at.isRef())) {
            if (at != null) checkNested(at, nested);
            val = entityMap(nested, nested);
          }
          ops.add(new TxOp.Add(e, attr, val, source));
        }
      }
    }
    // A top-level map of :db/id alone, or an empty one, asserts nothing (as Datomic); a tempid
    // of such a map that is used as a value elsewhere names no entity, which TxResolver reports.
    return e;
  }

  /**
   * A map nested under a ref attribute that is not a component must say which entity it is: a
   * {@code :db/id}, or a {@code :db.unique/identity} attribute to upsert by (as Datomic:
   * {@code :db.error/invalid-nested-entity}); otherwise every run of the same transaction would
   * make yet another entity nothing owns.
   */
  private void checkNested(Attribute at, Map<?, ?> nested) {
    if (nested.isEmpty()) {
      throw new DatahopException.Incorrect("tx/empty-entity",
          "an empty map nested under " + at.ident() + " names no entity",
          Map.of("attribute", String.valueOf(at.ident())), null);
    }
    if (at.component()) return;
    for (Object key : nested.keySet()) {
      Keyword k = keyword(key);
      if (k == DB_ID) return;
      Attribute a = k == null ? null : schema.byIdent(k);
      if (a != null && a.isIdentity()) return;
    }
    throw new DatahopException.Incorrect("tx/invalid-nested-entity",
        "a map nested under " + at.ident() + " (not a component) needs a :db/id or a"
            + " :db.unique/identity attribute: " + TxOp.describe(nested),
        Map.of("attribute", String.valueOf(at.ident()), "form", TxOp.describe(nested)), null);
  }

  /** The values of one map entry: a collection means several values unless it is one tuple or lookup ref. */
  private List<?> values(Attribute at, Object v, boolean reverse) {
    if (v instanceof Set<?> s) return new ArrayList<>(s);
    if (v instanceof Object[] arr) v = List.of(arr);
    if (!(v instanceof List<?> l)) return java.util.Collections.singletonList(v);
    if (reverse) return isLookupRef(l) ? List.of(l) : l;
    if (at == null) return List.of(l); // schema-on-read: a list is a tuple value
    if (at.valueType() == ValueType.TUPLE) {
      return at.many() && !l.isEmpty() && l.get(0) instanceof List<?> ? l : List.of(l);
    }
    if (at.isRef() && isLookupRef(l)) return List.of(l);
    return l;
  }

  private boolean isLookupRef(List<?> l) {
    if (l.size() != 2) return false;
    Keyword k = l.get(0) instanceof Keyword kw ? kw : null;
    if (k == null && l.get(0) instanceof String s && s.startsWith(":")) k = Keyword.of(s);
    if (k == null) return false;
    Attribute a = schema.byIdent(k);
    return a != null && a.unique() != null;
  }
}
