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
 * <p>Every commit record this build writes carries its change set (a base one too, flag {@code
 * OWN_CHANGES}), so the transaction is read from the record alone. A base commit written by an
 * older build (one that folded its overlays into new trees) has none: its transaction is then the
 * difference between its current datoms and its parent's, found by one merge walk of both EAVT
 * indices. That is exact whatever the history settings (a scan of the history indices by tx would
 * miss retractions without keep-history or of {@code :db/noHistory} attributes) and costs O(datoms)
 * once per such fold (every 512 commits or 200,000 changes), not per transaction.
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
    if (r.changes() == null) return r.parent() == null ? first(commits, at, r) : byDiff(commits, at, r);
    long tx = Ids.txEid(r.basisT());
    List<Datom> data = new ArrayList<>(r.changes().adds());
    for (Datom d : r.changes().removes()) data.add(new Datom(d.e(), d.a(), d.v(), tx, false));
    return tx(r, data);
  }

  /** The first commit's (t 0): every datom it holds. */
  private static Tx first(Commits commits, Address at, CommitRecord r) {
    List<Datom> data = new ArrayList<>();
    for (Iterator<Datom> it = commits.open(at).scan(IndexType.EAVT); it.hasNext(); ) data.add(it.next());
    return tx(r, data);
  }

  /** The transaction of a commit with a parent, found by diffing its current datoms with the parent's. */
  static Tx byDiff(Commits commits, Address at, CommitRecord r) {
    List<Datom> data = new ArrayList<>();
    diff(commits.open(r.parent()).scan(IndexType.EAVT), commits.open(at).scan(IndexType.EAVT), Ids.txEid(r.basisT()), data);
    return tx(r, data);
  }

  private static Tx tx(CommitRecord r, List<Datom> data) {
    data.sort(EAVT);
    return new Tx(r.basisT(), Ids.txEid(r.basisT()), r.txInstant(), r.nextUserId(), r.nextAttrId(), List.copyOf(data));
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
