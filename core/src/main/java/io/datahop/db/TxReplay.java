package io.datahop.db;

import io.datahop.DatahopException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a transaction given as resolved datoms — explicit entity ids, its t, tx id and instant,
 * as an exported log holds them — to a snapshot, the import's counterpart of {@link Transactor}.
 * Nothing is resolved or allocated: the datoms are the change set. They are checked so a damaged
 * or hand-edited log fails with an {@code import/…} error naming its line and t instead of
 * building a database the transactor could never have built: the t follows the snapshot's, every
 * datom carries the transaction's id, attributes exist and values fit their types, an assertion
 * is new and a retraction names a current datom, entity ids were allocated, cardinality-one and
 * unique attributes hold, and schema changes pass the same checks as in a transaction.
 */
final class TxReplay {
  private TxReplay() {}

  /** The snapshot after {@code tx} (not stored); {@code line} is where the log holds it, for errors. */
  static Snapshot apply(Snapshot db, CommitChanges.Tx tx, int line) {
    long t = tx.t();
    if (t != db.basisT() + 1) {
      throw refused(line, t, "bad-t", "transaction " + t + " does not follow t " + db.basisT() + " (line " + line + ")", null);
    }
    if (tx.tx() != Ids.txEid(t)) {
      throw refused(line, t, "bad-tx-id", "transaction " + t + " has :tx " + tx.tx() + "; transaction " + t + " is "
          + Ids.txEid(t), null);
    }
    Instant last = db.lastTxInstant() == null ? Instant.EPOCH : db.lastTxInstant();
    if (tx.instant().isBefore(last)) {
      throw refused(line, t, "instant-in-past", "the instant " + tx.instant() + " of transaction " + t
          + " is before the previous transaction's " + last, null);
    }
    if (tx.nextUserId() < db.nextUserId() || tx.nextAttrId() < db.nextAttrId()) {
      throw refused(line, t, "bad-next-ids", "transaction " + t + " moves :next-ids back from [" + db.nextUserId()
          + " " + db.nextAttrId() + "]", null);
    }
    Schema schema = db.schema();
    List<Datom> adds = new ArrayList<>();
    List<Datom> retracts = new ArrayList<>();
    List<Datom> removes = new ArrayList<>();
    Set<Long> schemaEntities = new LinkedHashSet<>();
    boolean instantSeen = false;
    for (Datom raw : tx.data()) {
      if (raw.tx() != tx.tx()) {
        throw refused(line, t, "bad-tx-id", "datom " + raw + " of transaction " + t + " does not carry its tx id "
            + tx.tx(), raw);
      }
      checkEntity(raw.e(), tx, line, raw);
      Datom d = typed(schema, db.schemaOnRead(), raw, tx, line);
      // as the transactor: these attributes change the schema (predicates are names, not run here)
      if (d.a() <= Schema.TUPLE_TYPE || d.a() == Schema.ATTR_PREDS) schemaEntities.add(d.e());
      if (d.e() == tx.tx() && d.a() == Schema.TX_INSTANT && d.added()) {
        if (!tx.instant().equals(d.v())) {
          throw refused(line, t, "bad-instant", "transaction " + t + " has :instant " + tx.instant()
              + " but asserts :db/txInstant " + d.v(), raw);
        }
        instantSeen = true;
      }
      Datom current = currentDatom(db, d);
      if (d.added()) {
        if (current != null) {
          throw refused(line, t, "already-asserted", "transaction " + t + " asserts " + d + ", true since tx "
              + current.tx(), raw);
        }
        adds.add(d);
      } else {
        if (current == null) {
          throw refused(line, t, "not-asserted", "transaction " + t + " retracts " + d + ", which is not true", raw);
        }
        retracts.add(d);
        removes.add(current);
      }
    }
    if (!instantSeen) {
      throw refused(line, t, "bad-instant", "transaction " + t + " does not assert its :db/txInstant", null);
    }
    java.util.function.LongPredicate isRef = a -> {
      Attribute at = schema.byId(a);
      return at != null && at.isRef();
    };
    Indexes current = db.current().update(removes, adds, isRef);
    Indexes history = db.history();
    List<Datom> h = List.of();
    if (db.keepHistory() && !retracts.isEmpty()) {
      // as the transactor: the retracted assertion and the retraction, unless :db/noHistory
      h = new ArrayList<>(removes.size() * 2);
      for (Datom d : removes) if (!noHistory(schema, d.a())) h.add(d);
      for (Datom d : retracts) if (!noHistory(schema, d.a())) h.add(d);
      if (!h.isEmpty()) history = history.update(List.of(), h, isRef);
    }
    long[] refs = java.util.stream.LongStream.concat(
        Arrays.stream(Indexes.refAttrs(adds, isRef)), Arrays.stream(Indexes.refAttrs(removes, isRef)))
        .distinct().sorted().toArray();
    Changes changes = new Changes(removes, adds, h, refs);
    Snapshot after = db.next(schema, current, history, tx.nextUserId(), tx.nextAttrId(), tx.instant(), changes);
    if (!schemaEntities.isEmpty()) {
      Schema next = Schema.build(a -> () -> after.scan(IndexType.AEVT, a));
      try {
        SchemaCheck.validate(db, after, next, List.copyOf(schemaEntities));
      } catch (DatahopException e) {
        throw refused(line, t, "bad-schema", "transaction " + t + " (line " + line + "): " + e.getMessage(), null);
      }
      Snapshot withSchema = after.withSchema(next);
      checkConstraints(withSchema, adds, tx, line);
      return withSchema;
    }
    checkConstraints(after, adds, tx, line);
    return after;
  }

  /** An entity id the database could have allocated by this transaction. */
  private static void checkEntity(long e, CommitChanges.Tx tx, int line, Datom d) {
    boolean ok;
    if (e >= Ids.USER_PART) ok = e < tx.nextUserId();
    else if (Ids.isTx(e)) ok = e <= tx.tx();
    else ok = e > 0 && e < tx.nextAttrId();
    if (!ok) {
      throw refused(line, tx.t(), "bad-entity", "transaction " + tx.t() + " names entity " + e
          + ", which no transaction up to it allocated (:next-ids [" + tx.nextUserId() + " " + tx.nextAttrId() + "])", d);
    }
  }

  /** The datom with its value in the attribute's stored form. */
  private static Datom typed(Schema schema, boolean schemaOnRead, Datom d, CommitChanges.Tx tx, int line) {
    Attribute at = schema.byId(d.a());
    if (at == null) {
      // schema-on-read installs an attribute's ident in the transaction that first uses it
      if (schemaOnRead && d.a() < tx.nextAttrId()) return d;
      throw refused(line, tx.t(), "unknown-attribute", "transaction " + tx.t() + " uses attribute " + d.a()
          + ", which is not installed", d);
    }
    if (at.valueType() == null) return d;
    Object v = ValueType.coerce(at.valueType(), d.v());
    if (v == null) {
      throw refused(line, tx.t(), "wrong-type", "transaction " + tx.t() + ": " + TxOp.describe(d.v()) + " is not a "
          + at.valueType() + " for " + at.ident(), d);
    }
    return v == d.v() ? d : new Datom(d.e(), d.a(), v, d.tx(), d.added());
  }

  /** The current datom with {@code d}'s e, a and v, or null. */
  private static Datom currentDatom(Snapshot db, Datom d) {
    Iterator<Datom> it = db.scan(IndexType.EAVT, d.e(), d.a(), d.v());
    return it.hasNext() ? it.next() : null;
  }

  private static boolean noHistory(Schema schema, long a) {
    Attribute at = schema.byId(a);
    return at != null && at.noHistory();
  }

  /** Cardinality one and uniqueness after the transaction, for what it asserted. */
  private static void checkConstraints(Snapshot after, List<Datom> adds, CommitChanges.Tx tx, int line) {
    for (Datom d : adds) {
      Attribute at = after.schema().byId(d.a());
      if (at == null) continue;
      if (!at.many()) {
        Iterator<Datom> it = after.scan(IndexType.EAVT, d.e(), d.a());
        it.next();
        if (it.hasNext()) {
          throw refused(line, tx.t(), "cardinality-conflict", "transaction " + tx.t() + " leaves two values of "
              + "cardinality-one " + at.ident() + " on entity " + d.e(), d);
        }
      }
      if (at.unique() != null) {
        Iterator<Datom> it = after.scan(IndexType.AVET, d.a(), d.v());
        it.next();
        if (it.hasNext()) {
          throw refused(line, tx.t(), "unique-conflict", "transaction " + tx.t() + " gives unique " + at.ident()
              + " value " + TxOp.describe(d.v()) + " to two entities", d);
        }
      }
    }
  }

  private static DatahopException.Incorrect refused(int line, long t, String problem, String message, Datom d) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("line", line);
    ctx.put("t", t);
    if (d != null) ctx.put("datom", d.toString());
    return new DatahopException.Incorrect("import/" + problem, message + (message.contains("line ") ? "" : " (line " + line + ")"),
        ctx, null);
  }
}
