package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.db.PullPattern.Spec;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pull API over one Db view. Refs without a nested pattern come back as {@code {:db/id n}};
 * under {@code *} component refs are pulled recursively. Cardinality-many values are lists in
 * index order, limited to 1000 unless {@code :limit} says otherwise. Recursion ({@code ...} or a
 * depth) works as Datomic's (checked by DatomicDifferentialTest): where recursion stops — past the
 * depth limit, or at an entity already entered by recursion on the current path, which comes back
 * with the pattern's other attributes — the recursive attribute's entities come back as {@code
 * {:db/id n}} when the pattern asks for {@code :db/id} (or {@code *}) and are left out otherwise.
 * The pull's root is not on that path, so it may be expanded once more; the entity a nested
 * pattern starts from is.
 */
final class Pull {
  private final DbImpl db;
  private final Map<Spec, Integer> depth = new HashMap<>();
  private final Set<Long> path = new HashSet<>();
  /** Entities entered through a recursive spec on the current path: where a cycle stops. */
  private final Set<Long> recursed = new HashSet<>();
  /** The pattern whose recursion stopped at the entity being pulled (a cycle), or null. */
  private PullPattern stopped;

  private Pull(DbImpl db) {
    this.db = db;
  }

  static Map<Keyword, Object> pull(DbImpl db, Object pattern, Object eid) {
    PullPattern p = PullPattern.parse(pattern);
    return new Pull(db).entity(p, eid);
  }

  static List<Map<Keyword, Object>> pullMany(DbImpl db, Object pattern, List<?> eids) {
    PullPattern p = PullPattern.parse(pattern);
    List<Map<Keyword, Object>> out = new ArrayList<>(eids.size());
    for (Object eid : eids) out.add(new Pull(db).entity(p, eid));
    return out;
  }

  private Map<Keyword, Object> entity(PullPattern p, Object eid) {
    Long e;
    try {
      e = db.entid(eid);
    } catch (DatahopException ex) {
      throw ex;
    }
    if (e == null) return null;
    Map<Object, Object> out = pattern(p, e);
    return out.isEmpty() ? null : cast(out);
  }

  @SuppressWarnings("unchecked")
  private static Map<Keyword, Object> cast(Map<Object, Object> m) {
    return (Map<Keyword, Object>) (Map<?, ?>) m;
  }

  private Map<Object, Object> pattern(PullPattern p, long e) {
    Map<Object, Object> out = new LinkedHashMap<>();
    path.add(e);
    try {
      if (p.wildcard()) wildcard(e, out);
      for (Spec s : p.attrs()) spec(p, s, e, out);
    } finally {
      path.remove(e);
    }
    return out;
  }

  private void wildcard(long e, Map<Object, Object> out) {
    Map<Long, List<Object>> byAttr = new LinkedHashMap<>();
    for (Datom d : db.datoms(IndexType.EAVT, e)) byAttr.computeIfAbsent(d.a(), k -> new ArrayList<>()).add(d.v());
    if (!byAttr.isEmpty()) out.put(PullPattern.DB_ID, e);
    byAttr.forEach((a, vals) -> {
      Attribute at = db.attribute(a);
      Keyword k = db.ident(a);
      if (k == null) return;
      List<Object> rendered = new ArrayList<>(vals.size());
      for (Object v : vals) {
        if (at != null && at.isRef()) {
          long c = (Long) v;
          rendered.add(at.component() && !path.contains(c) ? pattern(new PullPattern(true, List.of()), c) : idMap(c));
        } else {
          rendered.add(v);
        }
      }
      out.put(k, at != null && at.many() ? rendered : rendered.get(0));
    });
  }

  private static Map<Object, Object> idMap(long e) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(PullPattern.DB_ID, e);
    return m;
  }

  private void spec(PullPattern owner, Spec s, long e, Map<Object, Object> out) {
    if (s.attr() == PullPattern.DB_ID) {
      // Datomic keeps the key :db/id even under [:db/id :as k] (checked by DatomicDifferentialTest)
      out.put(PullPattern.DB_ID, e);
      return;
    }
    if (owner.wildcard() && !s.reverse() && !s.key().equals(s.attr())) {
      // [* [:a :as :b]]: the renamed attribute replaces the wildcard's entry, as in Datomic
      out.remove(s.attr());
    }
    Attribute a = db.attribute(s.attr());
    if (a == null) {
      if (s.dflt() != null) out.put(s.key(), s.dflt());
      return;
    }
    List<Object> vals = new ArrayList<>();
    boolean many;
    if (s.reverse()) {
      if (!a.isRef()) {
        throw new DatahopException.Incorrect("pull/reverse-non-ref",
            "reverse attribute :" + s.attr().namespace() + "/_" + s.attr().name() + " needs a ref attribute",
            Map.of("attribute", s.attr().toString()), null);
      }
      for (Datom d : db.datoms(IndexType.VAET, e, a.id())) {
        if (s.limit() >= 0 && vals.size() >= s.limit()) break;
        vals.add(d.e());
      }
      many = !a.component();
    } else {
      for (Datom d : db.datoms(IndexType.EAVT, e, a.id())) {
        if (a.many() && s.limit() >= 0 && vals.size() >= s.limit()) break;
        vals.add(d.v());
      }
      many = a.many();
    }
    if (vals.isEmpty()) {
      if (s.dflt() != null) out.put(s.key(), s.dflt());
      return;
    }
    List<Object> rendered = new ArrayList<>(vals.size());
    for (Object v : vals) {
      if (!a.isRef()) {
        rendered.add(v);
      } else {
        Object r = ref(owner, s, a, (Long) v);
        if (r != null) rendered.add(r);
      }
    }
    if (rendered.isEmpty()) return;
    out.put(s.key(), many ? rendered : rendered.get(0));
  }

  /** What a recursive spec renders where recursion stops: a bare ref when the pattern shows ids. */
  private static Map<Object, Object> stoppedRef(PullPattern owner, long target) {
    return owner.showsIds() ? idMap(target) : null;
  }

  private Object ref(PullPattern owner, Spec s, Attribute a, long target) {
    if (s.sub() != null) {
      // the entity a nested pattern starts from counts as entered for that pattern's recursion
      // (unlike the pull's root): a cycle back to it stops there, as in Datomic
      boolean entered = s.sub().recursive() && recursed.add(target);
      try {
        Map<Object, Object> m = pattern(s.sub(), target);
        return m.isEmpty() ? null : m;
      } finally {
        if (entered) recursed.remove(target);
      }
    }
    if (s.recurse() != 0) {
      int used = depth.getOrDefault(s, 0);
      if (owner == stopped || (s.recurse() > 0 && used >= s.recurse())) return stoppedRef(owner, target);
      if (recursed.contains(target)) {
        PullPattern outer = stopped;
        stopped = owner;
        try {
          Map<Object, Object> m = pattern(owner, target);
          return m.isEmpty() ? null : m;
        } finally {
          stopped = outer;
        }
      }
      depth.put(s, used + 1);
      recursed.add(target);
      try {
        Map<Object, Object> m = pattern(owner, target);
        return m.isEmpty() ? null : m;
      } finally {
        depth.put(s, used);
        recursed.remove(target);
      }
    }
    if (a.component() && !s.reverse() && !path.contains(target)) {
      return pattern(new PullPattern(true, List.of()), target);
    }
    return idMap(target);
  }
}
