package io.datahop.remote;

import io.datahop.db.Attribute;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.DbRef;
import io.datahop.db.Entity;
import io.datahop.db.IndexType;
import io.datahop.db.TxReport;
import io.datahop.edn.Keyword;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Db read through another peer, decoded on this peer's I/O thread: rebuilding it there would
 * wait for blobs that only the same, now busy, thread can read, so it is rebuilt on first use
 * instead (from the thread that uses it). Every method delegates to the rebuilt Db.
 */
final class LazyDb implements Db {
  private final DbRef ref;
  private final Supplier<Db> rebuild;
  private volatile Db db;

  LazyDb(DbRef ref, Supplier<Db> rebuild) {
    this.ref = ref;
    this.rebuild = rebuild;
  }

  private Db db() {
    Db d = db;
    if (d == null) {
      synchronized (this) {
        d = db;
        if (d == null) {
          d = rebuild.get();
          db = d;
        }
      }
    }
    return d;
  }

  @Override public long basisT() { return db().basisT(); }
  @Override public Attribute attribute(Object attr) { return db().attribute(attr); }
  @Override public List<Attribute> attributes() { return db().attributes(); }
  @Override public Long entid(Object eid) { return db().entid(eid); }
  @Override public Keyword ident(long eid) { return db().ident(eid); }
  @Override public Iterable<Datom> datoms(IndexType index, Object... components) { return db().datoms(index, components); }
  @Override public Iterable<Datom> seekDatoms(IndexType index, Object... components) { return db().seekDatoms(index, components); }
  @Override public Iterable<Datom> indexRange(Object attr, Object start, Object end) { return db().indexRange(attr, start, end); }
  @Override public long count(IndexType index, Object... components) { return db().count(index, components); }
  @Override public Db asOf(Object t) { return db().asOf(t); }
  @Override public Db since(Object t) { return db().since(t); }
  @Override public Db history() { return db().history(); }
  @Override public boolean isHistory() { return ref.history(); }
  @Override public TxReport with(Object txData) { return db().with(txData); }
  @Override public Map<Keyword, Object> pull(Object pattern, Object eid) { return db().pull(pattern, eid); }
  @Override public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) { return db().pullMany(pattern, eids); }
  @Override public Entity entity(Object eid) { return db().entity(eid); }
  @Override public Optional<DbRef> ref() { return Optional.of(ref); }
  @Override public Object q(Object query, Object... inputs) { return db().q(query, inputs); }

  /** Equal to a Db with the same ref (the same commit and view): Dbs are values. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LazyDb l ? ref.equals(l.ref) : o instanceof Db d && d.ref().equals(Optional.of(ref));
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  @Override
  public String toString() {
    Db d = db;
    return d != null ? d.toString() : "#datahop/db {:commit \"" + ref.commit().hex().substring(0, 12) + "\" :unread true}";
  }
}
