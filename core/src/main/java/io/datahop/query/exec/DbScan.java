package io.datahop.query.exec;

import io.datahop.db.Attribute;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.edn.Keyword;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a data pattern against a {@link Db}. In seek mode each input row becomes one index
 * seek whose leading components are the pattern's constants and bound variables (a per-binding
 * index-nested-loop join). In hash mode the constant-only range is scanned once and grouped by
 * the bound positions, and each row probes that table (a hash join), which wins when many rows
 * arrive or no index covers the bound positions.
 */
final class DbScan extends Step {
  private static final String[] NAMES = {"e", "a", "v", "tx", "added"};
  private final Db db;
  private final Pos[] pos;
  private final boolean refV;
  private final IndexType index;
  private final int[] comps;
  private final boolean hash;
  private final int[] keyPos;
  private final Object[] range; // {lo, loInclusive, hi, hiInclusive} pushed-down v predicate, or null
  /** Where the seek components hold the value, or -1: the index cannot tell 14M from 14.00M. */
  private final int vComp;
  /** Only the value is known: every attribute's AVET run is read at that value. */
  private final boolean byValue;
  /** The attributes a value-only scan reads, found on first use. */
  private List<Attribute> valueAttrs;

  DbScan(
      String clause,
      Db db,
      Pos[] pos,
      boolean refV,
      IndexType index,
      int[] comps,
      boolean hash,
      int[] keyPos,
      Object[] range) {
    super(clause);
    this.db = db;
    this.pos = pos;
    this.refV = refV;
    this.index = index;
    this.comps = comps;
    this.hash = hash;
    this.keyPos = keyPos;
    this.range = range;
    this.byValue = isByValue(index, comps);
    int vc = -1;
    for (int i = 0; i < comps.length; i++) {
      if (comps[i] == 2 && !hash) {
        vc = i;
      }
    }
    this.vComp = byValue ? -1 : vc;
    List<Integer> check = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      Pos q = pos[p];
      // a value-only scan finds values under every attribute by the index's order, which
      // takes 6 for 6.0: the value is checked on each datom
      if (q.known() && (p == 2 && byValue || !(hash ? (q.kind() == Pos.CONST || isKey(p)) : isComp(p)))) {
        check.add(p);
      }
      if (q.kind() == Pos.FREE || q.kind() == Pos.CHECK) {
        out.add(p);
      }
    }
    this.checkPos = check.stream().mapToInt(Integer::intValue).toArray();
    this.outPos = out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Known positions the access path does not already guarantee; checked per datom. */
  private final int[] checkPos;
  /** Positions that bind (FREE) or re-check (CHECK) a variable. */
  private final int[] outPos;

  private Object resolve(int p, Object x) {
    if (x == null) {
      return null;
    }
    return switch (p) {
      case 0, 3 -> x instanceof Long ? x : entid(db, x);
      case 1 -> x instanceof Long ? x : entid(db, x);
      case 2 -> refV && !(x instanceof Long) ? entid(db, x) : x;
      default -> x;
    };
  }

  /**
   * An entity id for an ident or lookup ref. As in Datomic, an ident or lookup ref that names no
   * entity is an error ("cannot resolve"), in the query text or an input, not an empty match:
   * it is almost always a caller's mistake.
   */
  static Long entid(Db db, Object x) {
    Long e = db.entid(x);
    if (e == null && x instanceof io.datahop.edn.Keyword k) {
      throw io.datahop.query.QueryErrors.incorrect(
          "query/unresolved-ident", "cannot resolve ident " + k + ": no such entity", null);
    }
    if (e == null && x instanceof List<?>) {
      throw io.datahop.query.QueryErrors.incorrect(
          "query/unresolved-lookup-ref",
          "cannot resolve lookup ref " + io.datahop.edn.Edn.write(x) + ": no such entity",
          null);
    }
    return e;
  }

  private Object known(int p, Object[] row) {
    Pos q = pos[p];
    return q.kind() == Pos.CONST ? q.value() : resolve(p, row[q.slot()]);
  }

  private static Object get(Datom d, int p) {
    return switch (p) {
      case 0 -> d.e();
      case 1 -> d.a();
      case 2 -> d.v();
      case 3 -> d.tx();
      default -> d.added();
    };
  }

  private static boolean same(Datom d, int p, Object want) {
    return switch (p) {
      case 0 -> want instanceof Long l && l == d.e();
      case 1 -> want instanceof Long l && l == d.a();
      case 2 -> sameValue(d.v(), want);
      case 3 -> want instanceof Long l && l == d.tx();
      default -> want instanceof Boolean b && b == d.added();
    };
  }

  /**
   * A data pattern's value matches a datom's as in Datomic's indexes: as {@code =}, but a
   * decimal with its scale, so {@code 14M} does not match a stored {@code 14.00M} (checked
   * against Datomic 1.0.7622 by bench's differential test; {@code (= 14M 14.00M)} is true).
   */
  static boolean sameValue(Object stored, Object want) {
    if (stored instanceof BigDecimal a) {
      return want instanceof BigDecimal b && a.equals(b);
    }
    return Values.eq(stored, want);
  }

  private boolean inRange(Object v) {
    if (range == null) {
      return true;
    }
    if (v instanceof Long l) {
      if (range[0] instanceof Long lo) {
        if (l < lo || (l.longValue() == lo && !(Boolean) range[1])) {
          return false;
        }
      } else if (range[0] != null) {
        return slowInRange(v);
      }
      if (range[2] instanceof Long hi) {
        return l < hi || (l.longValue() == hi && (Boolean) range[3]);
      }
      return range[2] == null || slowInRange(v);
    }
    return slowInRange(v);
  }

  private boolean slowInRange(Object v) {
    if (range[0] != null) {
      int c = Values.compare(v, range[0]);
      if (c < 0 || (c == 0 && !(Boolean) range[1])) {
        return false;
      }
    }
    if (range[2] != null) {
      int c = Values.compare(v, range[2]);
      return c < 0 || (c == 0 && (Boolean) range[3]);
    }
    return true;
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    if (hash) {
      Map<Object, Object> table = ex.cached(this, () -> build(ex));
      Object key;
      if (keyPos.length == 1) {
        key = known(keyPos[0], row);
      } else {
        Object[] k = new Object[keyPos.length];
        for (int i = 0; i < k.length; i++) {
          k[i] = known(keyPos[i], row);
        }
        key = List.of(k);
      }
      Object hits = key == null ? null : table.get(key);
      if (hits == null) {
        return true;
      }
      if (hits instanceof Datom d) {
        return emit(ex, d, row, plan, idx, end, sink, null);
      }
      @SuppressWarnings("unchecked")
      List<Datom> many = (List<Datom>) hits;
      for (Datom d : many) {
        if (!emit(ex, d, row, plan, idx, end, sink, null)) {
          return false;
        }
      }
      return true;
    }
    Object[] c = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      Object v = known(comps[i], row);
      if (v == null) {
        return true;
      }
      c[i] = v;
    }
    for (Datom d : scan(c)) {
      ex.tick(); // also for datoms the checks below drop: a scan can skip millions
      if (range != null && range[2] != null && Values.compare(d.v(), range[2]) > 0) {
        break; // AVET is ordered by value within the attribute
      }
      if (!emit(ex, d, row, plan, idx, end, sink, c)) {
        return false;
      }
    }
    return true;
  }

  /** The datoms behind the components; a pushed-down range reads only its slice of AVET. */
  private Iterable<Datom> scan(Object[] c) {
    if (byValue) {
      if (valueAttrs == null) {
        valueAttrs = attributes(db);
      }
      return byValue(db, valueAttrs, c[0]);
    }
    if (range != null) {
      return db.indexRange(c[0], range[0], range[2] == null || (Boolean) range[3] ? null : range[2]);
    }
    return db.datoms(index, c);
  }

  /** Groups the constant-only range by key: a single Datom, or a List of them. */
  private Map<Object, Object> build(Exec ex) {
    Object[] c = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      c[i] = pos[comps[i]].value();
    }
    Map<Object, Object> table = new HashMap<>();
    for (Datom d : scan(c)) {
      ex.tick();
      if (range != null && range[2] != null && Values.compare(d.v(), range[2]) > 0) {
        break;
      }
      if (!matchesKnown(d, null, null) || (range != null && !inRange(d.v()))) {
        continue;
      }
      Object key;
      if (keyPos.length == 1) {
        key = get(d, keyPos[0]);
      } else {
        Object[] k = new Object[keyPos.length];
        for (int i = 0; i < k.length; i++) {
          k[i] = get(d, keyPos[i]);
        }
        key = List.of(k);
      }
      Object prev = table.putIfAbsent(key, d);
      if (prev instanceof Datom first) {
        List<Datom> l = new ArrayList<>(4);
        l.add(first);
        l.add(d);
        table.put(key, l);
      } else if (prev != null) {
        @SuppressWarnings("unchecked")
        List<Datom> l = (List<Datom>) prev;
        l.add(d);
      }
    }
    return table;
  }

  /** Checks the known positions the index seek did not already fix (row null: constants only). */
  private boolean matchesKnown(Datom d, Object[] row, Object[] seekComps) {
    for (int p = 0; p < 5; p++) {
      Pos q = pos[p];
      if (!q.known() || (row == null && q.kind() == Pos.BOUND)) {
        continue;
      }
      if (seekComps != null && isComp(p)) {
        continue;
      }
      if (!same(d, p, q.kind() == Pos.CONST ? q.value() : resolve(p, row[q.slot()]))) {
        return false;
      }
    }
    return true;
  }

  private boolean isComp(int p) {
    for (int c : comps) {
      if (c == p) {
        return true;
      }
    }
    return false;
  }

  private boolean emit(
      Exec ex, Datom d, Object[] row, Plan plan, int idx, int end, Sink sink, Object[] seekComps) {
    for (int p : checkPos) {
      Pos q = pos[p];
      if (!same(d, p, q.kind() == Pos.CONST ? q.value() : resolve(p, row[q.slot()]))) {
        return true;
      }
    }
    if (seekComps != null && range != null && !inRange(d.v())) {
      return true;
    }
    if (vComp >= 0 && d.v() instanceof BigDecimal && !sameValue(d.v(), seekComps[vComp])) {
      return true;
    }
    Object[] out = row;
    for (int p : outPos) {
      Pos q = pos[p];
      if (q.kind() == Pos.FREE) {
        if (out == row) {
          out = row.clone();
        }
        out[q.slot()] = get(d, p);
      } else if (!Values.eq(out[q.slot()], get(d, p))) {
        return true;
      }
    }
    return ex.next(plan, idx + 1, end, out, sink);
  }

  private boolean isKey(int p) {
    for (int k : keyPos) {
      if (k == p) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for the access of a pattern that knows only its value, {@code [?e ?a "Ann"]}: AVET
   * with the value as its one component (AVET leads with the attribute, so no other access
   * has that shape).
   */
  static boolean isByValue(IndexType index, int[] comps) {
    return index == IndexType.AVET && comps.length == 1 && comps[0] == 2;
  }

  /**
   * The attributes a value-only pattern reads: every entity with an ident that is an attribute
   * (the declared ones, and on a schema-on-read database the undeclared ones too).
   */
  static List<Attribute> attributes(Db db) {
    // by id: a history Db has an ident's assertion and retraction, and each seek must run once
    Map<Long, Attribute> out = new java.util.LinkedHashMap<>();
    for (Datom d : db.datoms(IndexType.AEVT, Keyword.of("db/ident"))) {
      Attribute a = out.containsKey(d.e()) ? null : db.attribute(d.e());
      if (a != null) {
        out.put(a.id(), a);
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * The datoms holding {@code v} under any attribute, as Datomic finds them for a pattern whose
   * only known position is the value: one AVET seek per attribute whose type can hold it.
   */
  static Iterable<Datom> byValue(Db db, List<Attribute> attrs, Object v) {
    List<Iterable<Datom>> parts = new ArrayList<>();
    for (Attribute a : attrs) {
      if (canHold(a, v)) {
        parts.add(db.datoms(IndexType.AVET, a.id(), v));
      }
    }
    return () -> parts.stream().flatMap(p -> java.util.stream.StreamSupport.stream(p.spliterator(), false)).iterator();
  }

  /** How many datoms {@link #byValue} reads (for the planner), one count per attribute. */
  static long countByValue(Db db, Object v) {
    long n = 0;
    for (Attribute a : attributes(db)) {
      if (canHold(a, v)) {
        n += db.count(IndexType.AVET, a.id(), v);
      }
    }
    return n;
  }

  /** False when no value of {@code a} can equal {@code v}: a ref's values are entity ids. */
  private static boolean canHold(Attribute a, Object v) {
    return a.isRef() ? v instanceof Long : a.mayHold(v);
  }

  @Override
  String describe() {
    StringBuilder sb = new StringBuilder(hash ? "HashJoin " : "IndexScan ");
    sb.append(index).append(byValue ? " of every attribute" : "").append(" [");
    for (int i = 0; i < comps.length; i++) {
      sb.append(i == 0 ? "" : " ").append(NAMES[comps[i]]);
    }
    sb.append("]");
    if (hash) {
      sb.append(" key [");
      for (int i = 0; i < keyPos.length; i++) {
        sb.append(i == 0 ? "" : " ").append(NAMES[keyPos[i]]);
      }
      sb.append("]");
    }
    if (range != null) {
      sb.append(" v-range ")
          .append(Boolean.TRUE.equals(range[1]) ? "[" : "(")
          .append(range[0] == null ? "-inf" : Values.str(range[0]))
          .append(", ")
          .append(range[2] == null ? "+inf" : Values.str(range[2]))
          .append(Boolean.TRUE.equals(range[3]) ? "]" : ")");
    }
    return sb.append(" ").append(clause).toString();
  }
}
