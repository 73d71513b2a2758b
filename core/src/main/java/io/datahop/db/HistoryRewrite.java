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
    List<Excision> out = List.of();
    Db db = null;
    for (Datom d : txData) {
      if (d.a() != Schema.EXCISE || !d.added()) continue;
      if (db == null) {
        db = new DbImpl(after);
        out = new ArrayList<>();
      }
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
    if (prev.basisT() > 0) prev = filteredRoot(commits, prev, commits.record(root), excisions, instants);
    Map<Long, Snapshot> out = new HashMap<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      CommitRecord r = chain.get(i);
      prev = replay(commits, prev, r, filtered(r.changes(), excisions, instants));
      out.put(r.basisT(), prev);
    }
    return out;
  }

  /**
   * Rewrites the chain ending at {@code head} so that it starts at its first transaction committed
   * at or after {@code keepSince} (or at the head, when every transaction is older): that commit
   * becomes a base without a parent, holding the database as of it and only the history entries
   * retracted at or after it, and every later commit is replayed onto it. Views as of an earlier
   * t are refused from then on ({@code db/before-retention}). Returns the new head, or null when
   * nothing is before the cut.
   */
  static Snapshot retain(Commits commits, Snapshot head, Instant keepSince) {
    List<CommitRecord> chain = new ArrayList<>(); // newest first, down to the first kept commit
    List<Address> addresses = new ArrayList<>();
    for (Address a = head.address(); a != null; ) {
      CommitRecord r = commits.record(a);
      if (r.parent() == null) break; // the bootstrap, or an earlier cut's root: the whole chain is older
      chain.add(r);
      addresses.add(a);
      if (r.txInstant().isBefore(keepSince)) break;
      a = r.parent();
    }
    if (chain.isEmpty()) return null;
    int first = chain.size() - 1;
    if (chain.get(first).txInstant().isBefore(keepSince)) {
      if (first == 0) {
        // every transaction is older than the cut: keep the head's state alone
      } else {
        first--; // the oldest one at or after the cut
      }
    } else if (commits.record(chain.get(first).parent()).parent() == null) {
      return null; // the first transaction after the bootstrap is kept: nothing to give up
    }
    CommitRecord cut = chain.get(first);
    if (cut.changes() == null) {
      throw new DatahopException.Unsupported("db/retain-old-commit",
          "commit " + addresses.get(first) + " (t " + cut.basisT() + ") was written before commits carried their"
              + " change set; the history cannot be cut there",
          Map.of("commit", addresses.get(first).hex(), "t", cut.basisT()), null);
    }
    Snapshot at = commits.open(addresses.get(first));
    long tCut = at.basisT();
    Indexes history = keptHistory(at, tCut);
    Snapshot root = new Snapshot(at.ctx(), at.keepHistory(), at.schemaOnRead(), at.schema(), at.current(), history,
        tCut, at.nextUserId(), at.nextAttrId(), at.lastTxInstant(), null, null, null, 0, 0, cut.changes(), tCut);
    Snapshot prev = commits.write(root, true);
    for (int i = first - 1; i >= 0; i--) prev = replay(commits, prev, chain.get(i), chain.get(i).changes());
    return prev;
  }

  /**
   * A root left by a history retention holds a whole database, not just a bootstrap: it is
   * written again with the excised facts taken out of its current and history datoms too.
   */
  private static Snapshot filteredRoot(Commits commits, Snapshot root, CommitRecord r, List<Excision> excisions,
      Map<Long, Instant> instants) {
    instants.put(root.basisT(), r.txInstant());
    List<Datom> current = new ArrayList<>();
    all(root.current()).forEachRemaining(d -> {
      if (!excised(d, excisions, instants)) current.add(d);
    });
    List<Datom> history = new ArrayList<>();
    Set<List<Object>> gone = new HashSet<>();
    all(root.history()).forEachRemaining(d -> {
      // in (e a v) order an assertion comes before its retraction
      if (d.added()) {
        if (excised(d, excisions, instants)) gone.add(List.of(d.e(), d.a(), d.v()));
        else history.add(d);
      } else if (!gone.contains(List.of(d.e(), d.a(), d.v()))) {
        history.add(d);
      }
    });
    Set<Long> refs = refAttributes(root.schema());
    Changes ch = r.changes() == null ? null : filtered(r.changes(), excisions, instants);
    Snapshot fresh = new Snapshot(root.ctx(), root.keepHistory(), root.schemaOnRead(), root.schema(),
        root.ctx().emptyIndexes().update(List.of(), current, refs::contains),
        root.ctx().emptyIndexes().update(List.of(), history, refs::contains), root.basisT(), root.nextUserId(),
        root.nextAttrId(), root.lastTxInstant(), null, null, null, 0, 0, ch, root.horizonT());
    return commits.write(fresh, true);
  }

  /** The history entries of {@code s} whose retraction is at or after {@code tCut}, as indices. */
  private static Indexes keptHistory(Snapshot s, long tCut) {
    List<Datom> kept = new ArrayList<>();
    List<Datom> group = new ArrayList<>();
    Datom prev = null;
    java.util.Iterator<Datom> it = all(s.history());
    while (true) {
      Datom d = it.hasNext() ? it.next() : null;
      if (d == null || prev == null || d.e() != prev.e() || d.a() != prev.a() || !java.util.Objects.equals(d.v(), prev.v())) {
        keepPairs(group, tCut, kept);
        group.clear();
      }
      if (d == null) break;
      group.add(d);
      prev = d;
    }
    return s.ctx().emptyIndexes().update(List.of(), kept, refAttributes(s.schema())::contains);
  }

  /** Every datom of {@code ix}, in EAVT order. */
  private static java.util.Iterator<Datom> all(Indexes ix) {
    Object[] none = new Object[0];
    return ix.eavt().slice(DatomOrder.bound(IndexType.EAVT, none, false), DatomOrder.bound(IndexType.EAVT, none, true));
  }

  private static Set<Long> refAttributes(Schema schema) {
    Set<Long> refs = new HashSet<>();
    for (Attribute a : schema.attributes()) if (a.isRef()) refs.add(a.id());
    return refs;
  }

  /** One (e a v) group in tx order: each assertion and the retraction after it are kept together. */
  private static void keepPairs(List<Datom> group, long tCut, List<Datom> kept) {
    for (int i = 0; i < group.size(); i++) {
      Datom d = group.get(i);
      if (d.added() && i + 1 < group.size() && !group.get(i + 1).added()) {
        Datom retraction = group.get(i + 1);
        if (Ids.tOf(retraction.tx()) >= tCut) {
          kept.add(d);
          kept.add(retraction);
        }
        i++;
      } else if (!d.added() && Ids.tOf(d.tx()) >= tCut) {
        kept.add(d);
      } else if (d.added()) {
        kept.add(d);
      }
    }
  }

  private static Snapshot replay(Commits commits, Snapshot prev, CommitRecord r, Changes ch) {
    Indexes cur = prev.current().update(ch.removes(), ch.adds(), ch::isRef);
    Indexes hist = ch.historyAdds().isEmpty() ? prev.history() : prev.history().update(List.of(), ch.historyAdds(), ch::isRef);
    Snapshot next = prev.next(prev.schema(), cur, hist, r.nextUserId(), r.nextAttrId(), r.txInstant(), ch);
    Snapshot withSchema = touchesSchema(ch) ? next.withSchema(Schema.build(a -> () -> next.scan(IndexType.AEVT, a))) : next;
    return commits.write(withSchema);
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
