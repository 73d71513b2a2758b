package io.datahop.db;

import io.datahop.edn.Keyword;
import java.util.Set;

/**
 * A lazy view of one entity in one {@link Db}: attributes are read when asked for; ref values
 * come back as entities, cardinality-many values as sets, and {@code :_attr} navigates reverse
 * references.
 */
public interface Entity {
  /** The entity id. */
  long id();

  /** The value (or set of values for cardinality many) of {@code attr}, or {@code null}. */
  Object get(Object attr);

  /** The attributes this entity has. */
  Set<Keyword> keySet();

  /** The Db this entity is read from. */
  Db db();
}
