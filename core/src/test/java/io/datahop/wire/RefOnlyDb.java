package io.datahop.wire;

import io.datahop.DatahopException;
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

/**
 * A Db that is nothing but its pointer, for testing the codec's DbRef and registry path before
 * the database exists on main. Every query method refuses; {@link #ref()} and the view methods
 * (which only change the pointer) work. A null ref stands for a speculative ({@code with}) Db.
 */
record RefOnlyDb(DbRef pointer) implements Db {
  private static RuntimeException refuse() {
    return new DatahopException.Unsupported("test/ref-only", "a RefOnlyDb only carries its DbRef");
  }

  @Override
  public Optional<DbRef> ref() {
    return Optional.ofNullable(pointer);
  }

  @Override
  public Db asOf(Object t) {
    DbRef r = pointer;
    return new RefOnlyDb(new DbRef(r.storeId(), r.locator(), r.commit(), (Long) t, r.sinceT(), r.history()));
  }

  @Override
  public Db since(Object t) {
    DbRef r = pointer;
    return new RefOnlyDb(new DbRef(r.storeId(), r.locator(), r.commit(), r.asOfT(), (Long) t, r.history()));
  }

  @Override
  public Db history() {
    DbRef r = pointer;
    return new RefOnlyDb(new DbRef(r.storeId(), r.locator(), r.commit(), r.asOfT(), r.sinceT(), true));
  }

  @Override
  public boolean isHistory() {
    return pointer != null && pointer.history();
  }

  @Override
  public long basisT() {
    throw refuse();
  }

  @Override
  public Attribute attribute(Object attr) {
    throw refuse();
  }

  @Override
  public List<Attribute> attributes() {
    throw refuse();
  }

  @Override
  public Long entid(Object eid) {
    throw refuse();
  }

  @Override
  public Keyword ident(long eid) {
    throw refuse();
  }

  @Override
  public Iterable<Datom> datoms(IndexType index, Object... components) {
    throw refuse();
  }

  @Override
  public Iterable<Datom> seekDatoms(IndexType index, Object... components) {
    throw refuse();
  }

  @Override
  public Iterable<Datom> indexRange(Object attr, Object start, Object end) {
    throw refuse();
  }

  @Override
  public long count(IndexType index, Object... components) {
    throw refuse();
  }

  @Override
  public TxReport with(Object txData) {
    throw refuse();
  }

  @Override
  public Map<Keyword, Object> pull(Object pattern, Object eid) {
    throw refuse();
  }

  @Override
  public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) {
    throw refuse();
  }

  @Override
  public Entity entity(Object eid) {
    throw refuse();
  }

  @Override
  public Object q(Object query, Object... inputs) {
    throw refuse();
  }
}
