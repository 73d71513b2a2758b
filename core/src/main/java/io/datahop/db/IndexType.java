package io.datahop.db;

/** The sort orders a database keeps; the letters say which component sorts first. */
public enum IndexType {
  /** entity, attribute, value, tx: everything about an entity. */
  EAVT,
  /** attribute, entity, value, tx: every entity with an attribute. */
  AEVT,
  /** attribute, value, entity, tx: lookups by value (indexed, unique and ref attributes). */
  AVET,
  /** value, attribute, entity, tx over ref attributes only: reverse references. */
  VAET
}
