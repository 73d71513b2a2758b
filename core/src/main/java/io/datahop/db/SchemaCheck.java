package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates schema changes made by a transaction, against the database after it: every
 * attribute has an ident and a known value type, enums point at the right idents, a value type
 * never changes, tuple definitions are complete, and making an attribute unique or
 * cardinality-one does not contradict the data already there.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  private static final Set<Keyword> CARDS = Set.of(Schema.CARD_ONE, Schema.CARD_MANY);
  private static final Set<Keyword> UNIQUES = Set.of(Schema.UNIQUE_IDENTITY, Schema.UNIQUE_VALUE);

  static void validate(Snapshot before, Snapshot after, Schema schema, List<Long> touched) {
    Set<Keyword> seenIdents = new HashSet<>();
    for (long e : touched) {
      Map<Long, Object> props = new HashMap<>();
      for (Iterator<Datom> it = after.scan(IndexType.EAVT, e); it.hasNext(); ) {
        Datom d = it.next();
        if (d.a() <= Schema.TUPLE_TYPE) props.put(d.a(), d.v());
      }
      Object ident = props.get(Schema.IDENT);
      if (ident instanceof Keyword k && !seenIdents.add(k)) {
        fail("schema/duplicate-ident", "ident " + k + " is used twice", k, null);
      }
      boolean declares = props.keySet().stream().anyMatch(a -> a >= Schema.VALUE_TYPE && a != Schema.DOC);
      if (!declares) continue;
      Keyword name = ident instanceof Keyword k ? k : null;
      if (name == null) fail("schema/missing-ident", "attribute entity " + e + " has no :db/ident", null, e);
      Object vt = props.get(Schema.VALUE_TYPE);
      Keyword type = vt instanceof Long l ? schema.identOf(l) : null;
      if (type == null || !ValueType.ALL.contains(type)) {
        fail("schema/bad-value-type", "attribute " + name + " needs a :db/valueType, one of " + ValueType.ALL
            + (vt == null ? "" : ", got " + (type == null ? vt : type)), name, vt);
      }
      Attribute old = before.schema().byId(e);
      if (old != null && old.valueType() != type) {
        fail("schema/value-type-change", "the value type of " + name + " cannot change from "
            + old.valueType() + " to " + type, name, type);
      }
      if (props.get(Schema.CARDINALITY) == null) {
        fail("schema/missing-cardinality", "attribute " + name + " needs a :db/cardinality, one of " + CARDS, name, null);
      }
      if (Boolean.TRUE.equals(props.get(Schema.IS_COMPONENT)) && type != ValueType.REF) {
        fail("schema/component-not-ref", "attribute " + name + " of type " + type
            + " cannot be a component: only refs can", name, type);
      }
      enumValue(props, Schema.CARDINALITY, CARDS, schema, name);
      enumValue(props, Schema.UNIQUE, UNIQUES, schema, name);
      Attribute now = schema.byId(e);
      if (type == ValueType.TUPLE) {
        int kinds = (now.tupleAttrs().isEmpty() ? 0 : 1) + (now.tupleTypes().isEmpty() ? 0 : 1)
            + (now.tupleType() == null ? 0 : 1);
        if (kinds != 1) {
          fail("schema/bad-tuple", name + " of type tuple needs exactly one of :db/tupleAttrs,"
              + " :db/tupleTypes or :db/tupleType", name, null);
        }
        for (Keyword src : now.tupleAttrs()) {
          Attribute s = schema.byIdent(src);
          if (s == null || s.many() || s.valueType() == ValueType.TUPLE) {
            fail("schema/bad-tuple", name + ": tuple source " + src
                + " must be a declared cardinality-one, non-tuple attribute", name, src);
          }
        }
        for (Keyword tt : now.tupleTypes()) checkType(tt, name);
        if (now.tupleType() != null) checkType(now.tupleType(), name);
      }
      if (old != null && now.unique() != null && old.unique() == null) noDuplicates(after, now);
      if (old != null && old.many() && !now.many()) atMostOne(after, now);
    }
  }

  private static void checkType(Object t, Keyword name) {
    if (!(t instanceof Keyword k) || !ValueType.ALL.contains(k) || k == ValueType.TUPLE) {
      fail("schema/bad-tuple", name + ": " + t + " is not a tuple element type", name, t);
    }
  }

  private static void enumValue(Map<Long, Object> props, long attr, Set<Keyword> allowed, Schema s, Keyword name) {
    Object v = props.get(attr);
    if (v == null) return;
    Keyword k = v instanceof Long l ? s.identOf(l) : null;
    if (k == null || !allowed.contains(k)) {
      fail("schema/bad-" + (attr == Schema.UNIQUE ? "unique" : "cardinality"),
          name + ": " + (k == null ? v : k) + " is not one of " + allowed, name, k == null ? v : k);
    }
  }

  private static void noDuplicates(Snapshot db, Attribute a) {
    Object prev = null;
    long prevE = -1;
    for (Iterator<Datom> it = db.scan(IndexType.AVET, a.id()); it.hasNext(); ) {
      Datom d = it.next();
      if (prevE >= 0 && Values.equal(prev, d.v())) {
        fail("schema/unique-violation", "cannot make " + a.ident() + " unique: entities " + prevE + " and "
            + d.e() + " share the value " + d.v(), a.ident(), d.v());
      }
      prev = d.v();
      prevE = d.e();
    }
  }

  private static void atMostOne(Snapshot db, Attribute a) {
    long prevE = -1;
    for (Iterator<Datom> it = db.scan(IndexType.AEVT, a.id()); it.hasNext(); ) {
      Datom d = it.next();
      if (d.e() == prevE) {
        fail("schema/cardinality-violation", "cannot make " + a.ident() + " cardinality one: entity "
            + d.e() + " has several values", a.ident(), d.e());
      }
      prevE = d.e();
    }
  }

  private static void fail(String code, String msg, Object attr, Object value) {
    Map<String, Object> ctx = new HashMap<>();
    if (attr != null) ctx.put("attribute", String.valueOf(attr));
    if (value != null) ctx.put("value", String.valueOf(value));
    throw new DatahopException.Incorrect(code, msg, ctx, null);
  }
}
