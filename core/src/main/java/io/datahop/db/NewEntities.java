package io.datahop.db;

import io.datahop.edn.Keyword;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast path of a transaction made only of entity maps that create new entities — the shape
 * of a bulk import. It produces exactly what {@link Transactor}'s general path would (the same
 * datoms in the same order, the same ids and tempids) in one pass without per-op objects, or
 * gives up ({@link #plan} returns null) at the first form it cannot prove new and valid; the
 * general path then runs from the start and reports any error as usual.
 *
 * <p>Implementation notes. A form qualifies when it is a map whose {@code :db/id} is absent or a
 * string tempid used by no other form, whose keys name installed, non-system, non-ref,
 * non-tuple attributes that feed no composite tuple, each at most once, and whose values fit
 * their types (a collection only for a cardinality-many attribute, never empty). Such an entity
 * cannot upsert or conflict unless a {@code :db/unique} value repeats inside the transaction or
 * already exists in the database, so each unique attribute's values are collected and checked
 * (an AVET read only when the attribute has datoms). Then each form is a fresh entity: ids are
 * allocated in form order, which is the order the general path allocates them in, and the datoms
 * are those of its slots in first-seen order with repeated values of a many attribute dropped as
 * redundant.
 */
final class NewEntities {
  /** What the fast path decided: the datoms after the tx entity's, tempids by name, next id. */
  record Plan(List<Datom> datoms, Map<Object, Long> tempids, long nextUser) {}

  /** What one key of an entity map resolves to, cached per key object. */
  private static final class Target {
    final Attribute attr;
    /** Values claimed in this transaction, for unique attributes; else null. */
    final Set<Object> claimed;
    final boolean stored;

    Target(Attribute attr, Set<Object> claimed, boolean stored) {
      this.attr = attr;
      this.claimed = claimed;
      this.stored = stored;
    }
  }

  private final Snapshot db;
  private final long txEid;
  private final Map<Object, Target> targets = new HashMap<>();
  /** Entity maps in the transaction: the size of each unique attribute's set of values. */
  private int entities;
  private long[] seenAttrs = new long[8];

  private NewEntities(Snapshot db, long txEid) {
    this.db = db;
    this.txEid = txEid;
  }

  /** The plan for {@code forms}, or null when the general path must run. */
  static Plan plan(Snapshot db, List<?> forms, long txEid) {
    if (db.schemaOnRead() || forms.isEmpty()) return null;
    return new NewEntities(db, txEid).run(forms);
  }

  private Plan run(List<?> forms) {
    entities = forms.size();
    List<Datom> datoms = new ArrayList<>(forms.size() * 4 + 16);
    Map<Object, Long> tempids = null;
    long next = db.nextUserId();
    for (Object form : forms) {
      if (!(form instanceof Map<?, ?> m) || m.isEmpty()) return null;
      long e = next++;
      int attrs = 0;
      boolean named = false;
      for (Map.Entry<?, ?> en : m.entrySet()) {
        Object key = en.getKey();
        Keyword k = TxInput.keyword(key);
        if (k == TxInput.DB_ID) {
          if (named || !(en.getValue() instanceof String s) || s.startsWith(":") || s.equals(TxResolver.TX_TEMPID)) {
            return null;
          }
          named = true;
          if (tempids == null) tempids = new LinkedHashMap<>();
          if (tempids.putIfAbsent(s, e) != null) return null;
          continue;
        }
        Target t = target(key, k);
        if (t == null) return null;
        long a = t.attr.id();
        for (int i = 0; i < attrs; i++) if (seenAttrs[i] == a) return null;
        if (attrs == seenAttrs.length) seenAttrs = java.util.Arrays.copyOf(seenAttrs, attrs * 2);
        seenAttrs[attrs++] = a;
        Object v = en.getValue();
        if (v instanceof Collection<?> || v instanceof Object[]) {
          if (!t.attr.many() || !many(t, e, v, datoms)) return null;
        } else if (!add(t, e, v, datoms)) {
          return null;
        }
      }
      if (attrs == 0) return null;
    }
    for (Target t : targets.values()) {
      if (t.claimed == null || !t.stored) continue;
      for (Object v : t.claimed) {
        if (db.lookup(t.attr.id(), v instanceof TxResolver.ValueKey k ? k.v() : v) != null) return null;
      }
    }
    Map<Object, Long> ids = tempids == null ? Map.of() : tempids;
    return new Plan(datoms, ids, next);
  }

  /** The attribute a key names when it qualifies for the fast path, else null. */
  private Target target(Object key, Keyword k) {
    Target t = targets.get(key);
    if (t != null || k == null || targets.containsKey(key)) return t;
    Attribute at = db.schema().byIdent(k);
    Long id = db.schema().idOf(k);
    boolean ok = at != null && id != null && id == at.id() && at.id() >= Ids.FIRST_ATTR_ID
        && at.valueType() != null && !at.isRef() && at.valueType() != ValueType.TUPLE
        && at.tupleAttrs().isEmpty() && db.schema().tuplesFedBy(at.id()).isEmpty()
        && !k.name().startsWith("_");
    if (ok) {
      t = new Target(at, at.unique() == null ? null : HashSet.newHashSet(entities),
          at.unique() != null && db.hasAttribute(at.id()));
    }
    targets.put(key, t);
    return t;
  }

  private boolean add(Target t, long e, Object raw, List<Datom> out) {
    if (raw == null) return false;
    Object v = ValueType.coerce(t.attr.valueType(), raw);
    if (v == null) return false;
    if (t.claimed != null && !t.claimed.add(key(v))) return false;
    out.add(new Datom(e, t.attr.id(), v, txEid, true));
    return true;
  }

  /** The values of a cardinality-many attribute; repeats are redundant and dropped. */
  private boolean many(Target t, long e, Object raw, List<Datom> out) {
    Collection<?> values = raw instanceof Object[] arr ? List.of(arr) : (Collection<?>) raw;
    if (values.isEmpty()) return false;
    Set<Object> seen = new HashSet<>();
    for (Object r : values) {
      if (r == null) return false;
      Object v = ValueType.coerce(t.attr.valueType(), r);
      if (v == null) return false;
      if (!seen.add(key(v))) continue;
      if (t.claimed != null && !t.claimed.add(key(v))) return false;
      out.add(new Datom(e, t.attr.id(), v, txEid, true));
    }
    return true;
  }

  /** A set key with the equality of stored values: byte arrays by content, decimals by value. */
  private static Object key(Object v) {
    return v instanceof byte[] || v instanceof BigDecimal ? new TxResolver.ValueKey(v) : v;
  }
}
