package io.datahop.db;

import io.datahop.edn.Keyword;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A lazy entity: nothing is read until {@link #get} or {@link #keySet}. Ref values are entities,
 * cardinality-many values sets, and {@code :_attr} gives the set of entities referring to this one
 * (a component reverse ref gives the single owner).
 */
final class EntityImpl implements Entity {
  private static final Keyword DB_ID = Keyword.of("db/id");
  private final DbImpl db;
  private final long id;

  EntityImpl(DbImpl db, long id) {
    this.db = db;
    this.id = id;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public Db db() {
    return db;
  }

  @Override
  public Object get(Object attr) {
    Keyword k = attr instanceof Long ? db.ident((Long) attr) : TxInput.keyword(attr);
    if (k == null) return null;
    if (k == DB_ID) return id;
    if (k.name().startsWith("_")) {
      Attribute a = db.attribute(Keyword.of(k.namespace(), k.name().substring(1)));
      if (a == null || !a.isRef()) return null;
      Set<Entity> out = new LinkedHashSet<>();
      for (Datom d : db.datoms(IndexType.VAET, id, a.id())) out.add(new EntityImpl(db, d.e()));
      if (out.isEmpty()) return null;
      return a.component() ? out.iterator().next() : out;
    }
    Attribute a = db.attribute(k);
    if (a == null) return null;
    Set<Object> vals = new LinkedHashSet<>();
    for (Datom d : db.datoms(IndexType.EAVT, id, a.id())) {
      vals.add(a.isRef() ? new EntityImpl(db, (Long) d.v()) : d.v());
    }
    if (vals.isEmpty()) return null;
    return a.many() ? vals : vals.iterator().next();
  }

  @Override
  public Set<Keyword> keySet() {
    Set<Keyword> out = new LinkedHashSet<>();
    for (Datom d : db.datoms(IndexType.EAVT, id)) {
      Keyword k = db.ident(d.a());
      if (k != null) out.add(k);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntityImpl e && e.id == id && e.db.equals(db);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + db.hashCode();
  }

  @Override
  public String toString() {
    return "#datahop/entity {:db/id " + id + "}";
  }
}
