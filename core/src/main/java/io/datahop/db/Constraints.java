package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Datomic's constraints, checked by the transactor: attribute predicates ({@code
 * :db.attr/preds} on an attribute: every value asserted for it must pass each) and entity specs
 * ({@code [:db/add e :db/ensure :my/spec]}: in the database after the transaction, {@code e} has
 * every attribute of the spec's {@code :db.entity/attrs} and passes each of its {@code
 * :db.entity/preds}). Predicates are named in data and found among the database's registered
 * {@link Functions}; a name nobody registered fails the transaction. {@code :db/ensure} datoms
 * are requests, not facts: they are never stored.
 */
final class Constraints {
  private Constraints() {}

  /** Every asserted value of an attribute with predicates passes them. */
  static void checkValues(Schema schema, List<Datom> asserts, Functions fns) {
    if (!schema.hasPredicates()) return;
    for (Datom d : asserts) {
      for (String name : schema.predicatesOf(d.a())) {
        Predicate<Object> pred = fns.attributePredicate(name);
        Keyword attr = schema.identOf(d.a());
        if (pred == null) {
          throw new DatahopException.Incorrect("tx/unknown-predicate",
              "attribute " + attr + " names predicate " + name + ", which is not registered (Functions.attributePredicate)",
              Map.of("attribute", String.valueOf(attr), "predicate", name), null);
        }
        boolean ok;
        try {
          ok = pred.test(d.v());
        } catch (RuntimeException e) {
          throw violation("tx/attribute-predicate", d.e(), attr, d.v(), name, e);
        }
        if (!ok) throw violation("tx/attribute-predicate", d.e(), attr, d.v(), name, null);
      }
    }
  }

  private static DatahopException violation(String code, long e, Keyword attr, Object v, String pred, Throwable cause) {
    return new DatahopException.Incorrect(code,
        "value " + TxOp.describe(v) + " of " + attr + " on entity " + e + " fails predicate " + pred
            + (cause == null ? "" : ": " + cause.getMessage()),
        Map.of("entity", e, "attribute", String.valueOf(attr), "value", TxOp.describe(v), "predicate", pred), cause);
  }

  /** The {@code :db/ensure} requests among {@code asserts}: pairs of entity and spec. */
  static List<long[]> ensures(List<Datom> asserts) {
    List<long[]> out = null;
    for (Datom d : asserts) {
      if (d.a() == Schema.ENSURE) {
        if (out == null) out = new ArrayList<>();
        out.add(new long[] {d.e(), (Long) d.v()});
      }
    }
    return out;
  }

  /** {@code asserts} without its {@code :db/ensure} datoms. */
  static List<Datom> withoutEnsures(List<Datom> asserts) {
    List<Datom> out = new ArrayList<>(asserts.size());
    for (Datom d : asserts) if (d.a() != Schema.ENSURE) out.add(d);
    return out;
  }

  /** Each ensured entity satisfies its spec in {@code after}. */
  static void checkEntities(Snapshot after, List<long[]> ensures, Functions fns) {
    Db db = new DbImpl(after);
    for (long[] en : ensures) {
      long e = en[0];
      long spec = en[1];
      Keyword specName = db.ident(spec);
      String specText = specName == null ? Long.toString(spec) : specName.toString();
      List<String> missing = new ArrayList<>();
      for (Datom req : db.datoms(IndexType.EAVT, spec, Schema.ENTITY_ATTRS)) {
        Keyword a = (Keyword) req.v();
        Attribute attr = after.schema().byIdent(a);
        if (attr == null || !db.datoms(IndexType.EAVT, e, attr.id()).iterator().hasNext()) missing.add(a.toString());
      }
      if (!missing.isEmpty()) {
        throw new DatahopException.Incorrect("tx/entity-attrs-missing",
            "entity " + e + " lacks " + missing + ", required by entity spec " + specText,
            Map.of("entity", e, "spec", specText, "missing", missing), null);
      }
      for (Datom p : db.datoms(IndexType.EAVT, spec, Schema.ENTITY_PREDS)) {
        String name = String.valueOf(p.v());
        BiPredicate<Db, Long> pred = fns.entityPredicate(name);
        if (pred == null) {
          throw new DatahopException.Incorrect("tx/unknown-predicate",
              "entity spec " + specText + " names predicate " + name + ", which is not registered (Functions.entityPredicate)",
              Map.of("spec", specText, "predicate", name), null);
        }
        boolean ok;
        RuntimeException failure = null;
        try {
          ok = pred.test(db, e);
        } catch (RuntimeException ex) {
          ok = false;
          failure = ex;
        }
        if (!ok) {
          throw new DatahopException.Incorrect("tx/entity-predicate",
              "entity " + e + " fails predicate " + name + " of entity spec " + specText
                  + (failure == null ? "" : ": " + failure.getMessage()),
              Map.of("entity", e, "spec", specText, "predicate", name), failure);
        }
      }
      if (!db.datoms(IndexType.EAVT, spec, Schema.ENTITY_ATTRS).iterator().hasNext()
          && !db.datoms(IndexType.EAVT, spec, Schema.ENTITY_PREDS).iterator().hasNext()) {
        throw new DatahopException.Incorrect("tx/not-an-entity-spec",
            ":db/ensure names " + specText + ", which has neither :db.entity/attrs nor :db.entity/preds",
            Map.of("entity", e, "spec", specText), null);
      }
    }
  }
}
