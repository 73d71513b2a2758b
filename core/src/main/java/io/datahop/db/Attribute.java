package io.datahop.db;

import io.datahop.edn.Keyword;
import java.util.List;

/**
 * The schema of one attribute, read from the {@code :db/*} datoms of its schema entity.
 *
 * @param id the attribute's entity id (the {@code a} of its datoms)
 * @param ident its keyword, e.g. {@code :person/name}
 * @param valueType {@code :db.type/string}, {@code :db.type/ref}, {@code :db.type/tuple} …
 * @param many cardinality many
 * @param unique {@code :db.unique/identity}, {@code :db.unique/value} or {@code null}
 * @param indexed kept in AVET (indexed, unique or ref)
 * @param component {@code :db/isComponent}
 * @param noHistory {@code :db/noHistory}
 * @param tupleAttrs composite tuple source attributes, or an empty list
 * @param tupleTypes heterogeneous tuple element types, or an empty list
 * @param tupleType homogeneous tuple element type, or {@code null}
 */
public record Attribute(
    long id,
    Keyword ident,
    Keyword valueType,
    boolean many,
    Keyword unique,
    boolean indexed,
    boolean component,
    boolean noHistory,
    List<Keyword> tupleAttrs,
    List<Keyword> tupleTypes,
    Keyword tupleType) {

  private static final Keyword REF = Keyword.of("db.type/ref");

  /** True for {@code :db.type/ref} attributes. */
  public boolean isRef() {
    return valueType == REF;
  }

  /**
   * False when {@code v} can never be one of this attribute's values (a string for a long
   * attribute); true when it may be, possibly after a lookup's widening (6 finds 6.0), so a
   * reader must still compare the values it finds. Refs take entity positions, not checked here.
   */
  public boolean mayHold(Object v) {
    return valueType == null || isRef() || ValueType.coerce(valueType, v) != null;
  }

  /** True for {@code :db.unique/identity} (upserting) attributes. */
  public boolean isIdentity() {
    return unique != null && unique.name().equals("identity");
  }
}
