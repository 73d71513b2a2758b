package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a branch's history again without the datoms an excision removes: every commit from
 * transaction 1 to the head is replayed from its change set, filtered, onto the rewritten commit
 * before it — same t, instants, entity ids and fold points as far as the filtered sizes allow —
 * and stored as a new commit. Nothing of the old chain is changed (blobs never are): the caller
 * moves the head to the new chain, and gc then deletes the old one, with every node and change
 * set that held an excised value.
 *
 * <p>A fact is excised when a request names its entity and, if it says so, its attribute
 * ({@code :db.excise/attrs}) and a bound on when it was asserted ({@code :db.excise/beforeT},
 * {@code :db.excise/before}). Everything about an excised fact goes: its assertion, its
 * retraction, and both of its history entries.
 */
final class HistoryRewrite {
  /** One {@code :db/excise} request. */
  record Excision(long entity, Set<Long> attrs, Long beforeT, Instant before, long requestT) {
    boolean covers(Datom assertion, Map<Long, Instant> instants) {
      if (assertion.e() != entity) return false;
      if (attrs != null && !attrs.contains(assertion.a())) return false;
      long t = Ids.tOf(assertion.tx());
      if (t > requestT) return false; // asserted after the request (later in its batch): not excised
      if (beforeT != null && t >= beforeT) return false;
      if (before != null) {
        Instant at = instants.get(t);
        if (at == null || !at.isBefore(before)) return false;
      }
      return true;
    }
  }

  private HistoryRewrite() {}

  /** The excision requests a transaction asserted (its {@code :db/excise} entities). */
  static List<Excision> requests(Snapshot after, List<Datom> txData) {
    List<Excision> out = new ArrayList<>();
    for (Datom d : txData) {
      if (d.a() != Schema.EXCISE || !d.added()) continue;
      Db db = new DbImpl(after);
      long req = d.e();
      Set<Long> attrs = null;
      for (Datom a : db.datoms(IndexType.EAVT, req, Schema.EXCISE_ATTRS)) {
        if (attrs == null) attrs = new HashSet<>();
        attrs.add((Long) a.v());
      }
      Long beforeT = null;
      for (Datom b : db.datoms(IndexType.EAVT, req, Schema.EXCISE_BEFORE_T)) beforeT = (Long) b.v();
      Instant before = null;
      for (Datom b : db.datoms(IndexType.EAVT, req, Schema.EXCISE_BEFORE)) before = (Instant) b.v();
      out.add(new Excision((Long) d.v(), attrs, beforeT, before, after.basisT()));
    }
    return out;
  }

  /**
   * Rewrites the chain ending at {@code head} without what {@code excisions} cover; returns the
   * new commits by t (the last is the new head).
   */
  static Map<Long, Snapshot> rewrite(Commits commits, Snapshot head, List<Excision> excisions) {
    List<CommitRecord> chain = new ArrayList<>();
    Map<Long, Instant> instants = new HashMap<>();
    Address root = null;
    for (Address a = head.address(); a != null; ) {
      CommitRecord r = commits.record(a);
      if (r.parent() == null) {
        root = a;
        break;
      }
      if (r.changes() == null) {
        throw new DatahopException.Unsupported("db/excise-old-commit",
            "commit " + a + " (t " + r.basisT() + ") was written before commits carried their change set, so its"
                + " history cannot be written again without the excised datoms",
            Map.of("commit", a.hex(), "t", r.basisT()), null);
      }
      chain.add(r);
      instants.put(r.basisT(), r.txInstant());
      a = r.parent();
    }
    Snapshot prev = commits.open(root);
    Map<Long, Snapshot> out = new HashMap<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      CommitRecord r = chain.get(i);
      Changes ch = filtered(r.changes(), excisions, instants);
      Indexes cur = prev.current().update(ch.removes(), ch.adds(), ch::isRef);
      Indexes hist = ch.historyAdds().isEmpty() ? prev.history() : prev.history().update(List.of(), ch.historyAdds(), ch::isRef);
      Snapshot next = prev.next(prev.schema(), cur, hist, r.nextUserId(), r.nextAttrId(), r.txInstant(), ch);
      Snapshot withSchema = touchesSchema(ch) ? next.withSchema(Schema.build(a -> () -> next.scan(IndexType.AEVT, a))) : next;
      prev = commits.write(withSchema);
      out.put(r.basisT(), prev);
    }
    return out;
  }

  private static boolean touchesSchema(Changes ch) {
    for (List<Datom> run : List.of(ch.adds(), ch.removes())) {
      for (Datom d : run) if (d.a() <= Schema.TUPLE_TYPE || d.a() == Schema.ATTR_PREDS) return true;
    }
    return false;
  }

  private static Changes filtered(Changes ch, List<Excision> excisions, Map<Long, Instant> instants) {
    List<Datom> adds = new ArrayList<>(ch.adds().size());
    for (Datom d : ch.adds()) if (!excised(d, excisions, instants)) adds.add(d);
    List<Datom> removes = new ArrayList<>(ch.removes().size());
    Set<List<Object>> gone = new HashSet<>();
    for (Datom d : ch.removes()) {
      if (excised(d, excisions, instants)) gone.add(List.of(d.e(), d.a(), d.v()));
      else removes.add(d);
    }
    List<Datom> history = new ArrayList<>(ch.historyAdds().size());
    for (Datom d : ch.historyAdds()) {
      // a retraction entry follows its fact: gone when the retracted assertion is excised
      boolean drop = d.added() ? excised(d, excisions, instants) : gone.contains(List.of(d.e(), d.a(), d.v()));
      if (!drop) history.add(d);
    }
    return new Changes(removes, adds, history, ch.refAttrs());
  }

  private static boolean excised(Datom assertion, List<Excision> excisions, Map<Long, Instant> instants) {
    for (Excision x : excisions) if (x.covers(assertion, instants)) return true;
    return false;
  }
}
