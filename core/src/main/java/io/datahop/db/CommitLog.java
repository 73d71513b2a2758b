package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The {@link Log} of one head: the commits from it back through their parents. Commits link
 * backwards only, so a range is found by walking from the head to its start once; the addresses
 * seen on the way are kept (newest first), so later ranges of the same log walk no further than
 * they must.
 */
final class CommitLog implements Log {
  private final Commits commits;
  private final long basisT;
  /** The first transaction still in the chain: 1, or the cut of a history retention. */
  private final long firstT;
  /** Commits seen so far, newest first: {@code chain.get(i)} has t {@code basisT - i}. */
  private final List<Address> chain = new ArrayList<>();
  private Address next;

  CommitLog(Commits commits, Address head, long basisT, long horizonT) {
    this.commits = commits;
    this.basisT = basisT;
    this.firstT = Math.max(1, horizonT);
    this.next = head;
  }

  @Override
  public long basisT() {
    return basisT;
  }

  @Override
  public Iterable<LogEntry> txRange(Long fromT, Long toT) {
    long from = Math.max(firstT, fromT == null ? firstT : fromT);
    long to = Math.min(basisT + 1, toT == null ? basisT + 1 : toT);
    return () -> new Iterator<>() {
      long t = from;

      @Override
      public boolean hasNext() {
        return t < to;
      }

      @Override
      public LogEntry next() {
        if (!hasNext()) throw new NoSuchElementException();
        return entry(at(t++));
      }
    };
  }

  /** The commit of transaction {@code t}, walking back from the head as far as needed. */
  private synchronized Address at(long t) {
    int i = (int) (basisT - t);
    while (chain.size() <= i) {
      if (next == null) {
        throw new DatahopException.Fault("db/log-gap", "the commit chain ends before transaction " + t,
            Map.of("t", t), null);
      }
      chain.add(next);
      next = commits.record(next).parent();
    }
    return chain.get(i);
  }

  private LogEntry entry(Address at) {
    CommitRecord r = commits.record(at);
    return new LogEntry(r.basisT(), Ids.txEid(r.basisT()), r.txInstant(), datoms(at, r));
  }

  /**
   * A transaction's datoms from its change set: assertions as stored, retractions as the
   * retracted datom with this transaction as its tx. A base written before bases carried their
   * change set has none: its datoms are then the difference from its parent ({@link
   * CommitChanges#byDiff}, one merge walk of both).
   */
  private List<Datom> datoms(Address at, CommitRecord r) {
    long tx = Ids.txEid(r.basisT());
    List<Datom> out = new ArrayList<>();
    Changes ch = r.changes();
    if (ch != null) {
      out.addAll(ch.adds());
      for (Datom d : ch.removes()) out.add(new Datom(d.e(), d.a(), d.v(), tx, false));
      return out;
    }
    // exact whatever the history settings (a scan of the history by tx would miss retractions
    // without keep-history or of :db/noHistory attributes)
    return CommitChanges.byDiff(commits, at, r).data();
  }
}
