package io.datahop.db;

import io.datahop.edn.Keyword;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * {@link NewEntities}'s work on the forms {@code [from, to)} of a transaction: their datoms in
 * form order, their tempids and, per unique attribute, the values they claim (each checked
 * against the database here). Each half keeps its own attribute cache and sets, so two halves
 * share nothing while they run.
 *
 * <p>Implementation notes. This loop runs once per datom of a bulk import, as C1 code (the CLI
 * runs short imports without C2), where every call and allocation counts: a form's entries are
 * visited with {@link Map#forEach} (no entry-set and entry wrappers of an unmodifiable map), a
 * key is first compared by identity with the key seen at the same position of the previous
 * form (an import repeats the same key objects in the same order), a repeated attribute is
 * caught by a per-form stamp on its target, a value already of its type's class is used
 * without coercion, and the output array is sized from the datoms per form seen so far.
 */
final class PlanHalf implements BiConsumer<Object, Object> {
  /** Set when one half failed, so the other stops early: the plan is void anyway. */
  static final class Stop {
    volatile boolean stop;
  }

  /** What the keys naming one attribute resolve to; one per attribute and half. */
  static final class Target {
    final Attribute attr;
    final long id;
    /** The value class that needs no coercion (and is its own set key), or null. */
    final Class<?> exact;
    /** Values claimed in this half, for unique attributes; else null. */
    final ClaimSet claimed;
    final boolean stored;
    /** The last form (index) that named this attribute: a second key for it in one form is a repeat. */
    int stamp = -1;

    Target(Attribute attr, ClaimSet claimed, boolean stored) {
      this.attr = attr;
      this.id = attr == null ? 0 : attr.id();
      this.exact = attr == null ? null : exactClass(attr.valueType());
      this.claimed = claimed;
      this.stored = stored;
    }
  }

  /** The target of {@code :db/id}. */
  private static final Target ID = new Target(null, null, false);

  private static final int CACHED_KEYS = 16;

  private final Snapshot db;
  private final long txEid;
  private final List<?> forms;
  private final int from, to;
  private final long firstId;
  private final Stop stop;
  /** Forms whose datoms this half's array is sized for (the first half's array takes the second's too). */
  private final int sizedFor;
  private final int reserved;
  private final Map<Keyword, Target> byIdent = new HashMap<>();
  private final List<Target> unique = new ArrayList<>(2);
  private final Object[] cacheKeys = new Object[CACHED_KEYS];
  private final Target[] cacheTargets = new Target[CACHED_KEYS];
  private LinkedHashMap<Object, Long> tempids;

  Datom[] out;
  int size;
  private boolean failed;
  // the form being visited
  private int form;
  private long e;
  private int position;
  /** The array size when the current form began. */
  private int formStart;
  private int attrs;
  private boolean named;

  /**
   * {@code firstId} is the id of form 0; {@code reserved} slots at the start of the array are
   * left free ({@link NewEntities.Plan}).
   */
  PlanHalf(Snapshot db, long txEid, List<?> forms, int from, int to, long firstId, Stop stop, int reserved, int sizedFor) {
    this.db = db;
    this.txEid = txEid;
    this.forms = forms;
    this.from = from;
    this.to = to;
    this.firstId = firstId;
    this.stop = stop;
    this.sizedFor = sizedFor;
    this.reserved = reserved;
    this.out = new Datom[reserved + Math.min(sizedFor, 64) * 4];
    this.size = reserved;
  }

  boolean failed() {
    return failed;
  }

  /** This half's tempids in form order, or null when it has none. */
  LinkedHashMap<Object, Long> tempids() {
    return tempids;
  }

  List<Target> uniqueTargets() {
    return unique;
  }

  /** The values this half claims for unique attribute {@code id}, or null. */
  ClaimSet claimed(long id) {
    for (Target t : unique) if (t.id == id) return t.claimed;
    return null;
  }

  PlanHalf run() {
    for (int i = from; i < to && !failed; i++) {
      if (!(forms.get(i) instanceof Map<?, ?> m) || m.isEmpty() || stop.stop) {
        failed = true;
        break;
      }
      form = i;
      e = firstId + i;
      position = 0;
      formStart = size;
      attrs = 0;
      named = false;
      m.forEach(this);
      if (attrs == 0) failed = true;
    }
    if (!failed) checkStored();
    if (failed) stop.stop = true;
    return this;
  }

  /** One entry of the current form; a failure only marks the half (forEach cannot stop). */
  @Override
  public void accept(Object key, Object value) {
    if (failed) return;
    int p = position++;
    Target t;
    if (p < CACHED_KEYS && cacheKeys[p] == key) {
      t = cacheTargets[p];
    } else {
      t = target(key);
      if (t == null) {
        failed = true;
        return;
      }
      if (p < CACHED_KEYS) {
        cacheKeys[p] = key;
        cacheTargets[p] = t;
      }
    }
    if (t == ID) {
      tempid(value);
      return;
    }
    if (t.stamp == form) { // two keys of one form name this attribute
      failed = true;
      return;
    }
    t.stamp = form;
    attrs++;
    if (value != null && value.getClass() == t.exact) {
      if (t.claimed != null && !t.claimed.add(value)) {
        failed = true;
        return;
      }
      emit(new Datom(e, t.id, value, txEid, true));
    } else if (value instanceof Collection<?> || value instanceof Object[]) {
      if (!t.attr.many() || !many(t, value)) failed = true;
    } else if (!add(t, value)) {
      failed = true;
    }
  }

  private static final Keyword PART_USER = Keyword.of("db.part/user");

  private void tempid(Object value) {
    // a string tempid, or a Datomic file's #db/id of the user partition (others are checked,
    // or name the transaction, on the general path)
    boolean string = value instanceof String s && !s.startsWith(":") && !s.equals(TxResolver.TX_TEMPID);
    if (named || !(string || value instanceof Tempid t && t.partition() == PART_USER)) {
      failed = true;
      return;
    }
    named = true;
    // sized for every form it may hold (the first half takes the second's too): no rehash as it grows
    if (tempids == null) tempids = LinkedHashMap.newLinkedHashMap(sizedFor);
    if (tempids.putIfAbsent(value, e) != null) failed = true;
  }

  /** The target of a key when it qualifies for the fast path, else null; keys are resolved per attribute. */
  private Target target(Object key) {
    Keyword k = TxInput.keyword(key);
    if (k == null) return null;
    if (k == TxInput.DB_ID) return ID;
    Target t = byIdent.get(k);
    if (t != null || byIdent.containsKey(k)) return t;
    Attribute at = db.schema().byIdent(k);
    Long id = db.schema().idOf(k);
    boolean ok = at != null && id != null && id == at.id() && at.id() >= Ids.FIRST_ATTR_ID
        && at.valueType() != null && !at.isRef() && at.valueType() != ValueType.TUPLE
        && at.tupleAttrs().isEmpty() && db.schema().tuplesFedBy(at.id()).isEmpty()
        && !k.name().startsWith("_");
    if (ok) {
      boolean isUnique = at.unique() != null;
      t = new Target(at, isUnique ? new ClaimSet(to - from) : null, isUnique && db.hasAttribute(at.id()));
      if (isUnique) unique.add(t);
    }
    byIdent.put(k, t);
    return t;
  }

  private boolean add(Target t, Object raw) {
    if (raw == null) return false;
    Object v = ValueType.coerceTx(t.attr.valueType(), raw);
    if (v == null) return false;
    if (t.claimed != null && !t.claimed.add(key(v))) return false;
    emit(new Datom(e, t.id, v, txEid, true));
    return true;
  }

  /** The values of a cardinality-many attribute; repeats are redundant and dropped. */
  private boolean many(Target t, Object raw) {
    Collection<?> values = raw instanceof Object[] arr ? Arrays.asList(arr) : (Collection<?>) raw;
    if (values.isEmpty()) return false;
    Set<Object> seen = new HashSet<>();
    for (Object r : values) {
      if (r == null) return false;
      Object v = ValueType.coerceTx(t.attr.valueType(), r);
      if (v == null) return false;
      if (!seen.add(key(v))) continue;
      if (t.claimed != null && !t.claimed.add(key(v))) return false;
      emit(new Datom(e, t.id, v, txEid, true));
    }
    return true;
  }

  private void emit(Datom d) {
    if (size == out.length) grow();
    out[size++] = d;
  }

  /**
   * Room for the forms still to come at the datoms per form of the forms done, so a uniform
   * import's array ends exactly full (no trimming copy); else half as much again.
   */
  private void grow() {
    long done = form - from;
    long rest = sizedFor - done; // including the current form
    long want = done > 0 && rest > 0 ? formStart + ((long) (formStart - reserved) * rest + done - 1) / done : 0;
    if (want <= size) want = size + (size >> 1) + 16;
    out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, want));
  }

  /** Fails when a claimed unique value already belongs to an entity in the database. */
  private void checkStored() {
    for (Target t : unique) {
      // a stop (the other half failed) ends the reads too
      if (t.stored && t.claimed.any(v -> stop.stop || db.lookup(t.id, v instanceof TxResolver.ValueKey k ? k.v() : v) != null)) {
        failed = true;
        return;
      }
    }
  }

  /** A set key with the equality of stored values: byte arrays by content, decimals by value. */
  private static Object key(Object v) {
    return v instanceof byte[] || v instanceof BigDecimal ? new TxResolver.ValueKey(v) : v;
  }

  /** The class of a value that {@link ValueType#coerceTx} returns unchanged and that is its own set key. */
  private static Class<?> exactClass(Keyword type) {
    if (type == ValueType.STRING) return String.class;
    if (type == ValueType.LONG) return Long.class;
    if (type == ValueType.DOUBLE) return Double.class;
    if (type == ValueType.FLOAT) return Float.class;
    if (type == ValueType.BOOLEAN) return Boolean.class;
    if (type == ValueType.KEYWORD) return Keyword.class;
    if (type == ValueType.INSTANT) return Instant.class;
    if (type == ValueType.UUID_T) return UUID.class;
    if (type == ValueType.BIGINT) return BigInteger.class;
    return null; // bytes and decimals need a set key; symbols, tuples: coerced as before
  }
}
