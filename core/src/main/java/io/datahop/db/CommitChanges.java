package io.datahop.db;

import io.datahop.store.Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The transaction of one commit: the datoms it asserted and retracted, as a transaction log
 * reports them (export, and whatever else reads the log).
 *
 * <p>A tail commit stores its change set, so its transaction is read from the record alone. A base
 * commit (one that folded its overlays into new trees) does not: its transaction is the difference
 * between its current datoms and its parent's, found by one merge walk of both EAVT indices. That
 * walk reads the whole index, so it costs O(datoms) once per fold (every 512 commits or 200,000
 * changes), not per transaction.
 */
final class CommitChanges {
  private CommitChanges() {}

  /**
   * One transaction.
   *
   * @param t its basis t
   * @param tx its transaction entity id
   * @param instant its {@code :db/txInstant}
   * @param nextUserId the next user entity id after it
   * @param nextAttrId the next attribute id after it
   * @param data its datoms in EAVT order, assertions ({@code added}) and retractions, each with
   *     {@code tx} as its tx
   */
  record Tx(long t, long tx, Instant instant, long nextUserId, long nextAttrId, List<Datom> data) {}

  private static final Comparator<Datom> EAVT = DatomOrder.of(IndexType.EAVT);

  /** The commits from the first one (t 0) to {@code head}, oldest first. */
  static List<Address> chain(Commits commits, Address head) {
    List<Address> out = new ArrayList<>();
    for (Address a = head; a != null; a = commits.record(a).parent()) out.add(a);
    Collections.reverse(out);
    return out;
  }

  /** The transaction committed at {@code at}. */
  static Tx of(Commits commits, Address at) {
    CommitRecord r = commits.record(at);
    long tx = Ids.txEid(r.basisT());
    List<Datom> data = new ArrayList<>();
    if (r.changes() != null) {
      data.addAll(r.changes().adds());
      for (Datom d : r.changes().removes()) data.add(new Datom(d.e(), d.a(), d.v(), tx, false));
    } else if (r.parent() == null) {
      for (Iterator<Datom> it = commits.open(at).scan(IndexType.EAVT); it.hasNext(); ) data.add(it.next());
    } else {
      diff(commits.open(r.parent()).scan(IndexType.EAVT), commits.open(at).scan(IndexType.EAVT), tx, data);
    }
    data.sort(EAVT);
    return new Tx(r.basisT(), tx, r.txInstant(), r.nextUserId(), r.nextAttrId(), List.copyOf(data));
  }

  /** Adds to {@code out} the datoms of {@code after} not in {@code before}, and retractions of the reverse. */
  private static void diff(Iterator<Datom> before, Iterator<Datom> after, long tx, List<Datom> out) {
    Datom b = next(before);
    Datom a = next(after);
    while (b != null || a != null) {
      int c = b == null ? 1 : a == null ? -1 : EAVT.compare(b, a);
      if (c == 0) {
        b = next(before);
        a = next(after);
      } else if (c < 0) {
        out.add(new Datom(b.e(), b.a(), b.v(), tx, false));
        b = next(before);
      } else {
        out.add(a);
        a = next(after);
      }
    }
  }

  private static Datom next(Iterator<Datom> it) {
    return it.hasNext() ? it.next() : null;
  }
}
