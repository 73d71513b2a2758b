package io.datahop.db;

import io.datahop.store.Address;
import io.datahop.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every commit of one branch to a connection's listeners, exactly once and in t order,
 * whoever made it: this connection, another in the process, or another process.
 *
 * <p>Implementation notes. One thread per connection (started by the first listener) follows the
 * head: its own connection's commits wake it at once; other writers' commits are found by reading
 * the head every {@link #POLL_MILLIS} ms (on a file store a rescan of the packs, on a JDBC store a
 * one-row query). A new head is walked back through parents to the last commit delivered, and the
 * commits in between are delivered oldest first. Listeners run on this thread, never on the
 * writer's, so a slow listener delays later deliveries but no commit. A commit of this connection
 * is delivered with the writer's own report (its tempids); others with a report rebuilt from the
 * commit record (tempids then only hold {@code :db/current-tx}).
 */
final class CommitFeed {
  private static final Logger LOG = LoggerFactory.getLogger(CommitFeed.class);
  /** How often the head is read for commits of other writers. */
  static final long POLL_MILLIS = 50;
  /** Own reports kept for delivery at most; past it, a report is rebuilt (losing its tempids). */
  private static final int OWN_REPORTS = 4096;

  /** A listener and the t of the head when it was added: it gets the commits after that. */
  private record Subscriber(Consumer<TxReport> listener, long afterT) {}

  private final Store store;
  private final String branch;
  private final Commits commits;
  private final String uri;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Map<Address, TxReport> own = new LinkedHashMap<>();
  private boolean signalled;
  private boolean closed;
  private Thread thread;
  /** The newest commit delivered (or the head when the first listener came). */
  private Address delivered;
  /** Its t: the walk back from a new head stops there even when history was written again (an excision). */
  private long deliveredT;

  CommitFeed(Store store, String branch, Commits commits, String uri) {
    this.store = store;
    this.branch = branch;
    this.commits = commits;
    this.uri = uri;
  }

  /** Adds a listener for the commits after {@code head}; closing the result removes it. */
  AutoCloseable add(Consumer<TxReport> listener, Snapshot head) {
    Subscriber s = new Subscriber(listener, head.basisT());
    lock.lock();
    try {
      if (thread == null) {
        delivered = head.address();
        deliveredT = head.basisT();
        thread = Thread.ofPlatform().daemon().name("datahop-listen " + uri).start(this::run);
      }
      subscribers.add(s);
      wake.signalAll(); // from waiting for a first listener to polling
    } finally {
      lock.unlock();
    }
    return () -> subscribers.remove(s);
  }

  /** The writer committed {@code reports} (in order): deliver them now, with their tempids. */
  void committed(List<TxReport> reports) {
    if (subscribers.isEmpty()) return;
    lock.lock();
    try {
      for (TxReport r : reports) {
        if (r == null) continue;
        Address a = ((DbImpl) r.dbAfter()).snapshot().address();
        if (own.size() >= OWN_REPORTS) own.remove(own.keySet().iterator().next());
        own.put(a, r);
      }
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        while (!closed && !signalled) {
          if (!subscribers.isEmpty()) {
            if (!wake.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) break;
          } else {
            wake.await();
          }
        }
        if (closed) return;
        signalled = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        deliverNew();
      } catch (RuntimeException e) {
        LOG.warn("following the head of {} failed; trying again", uri, e);
      }
    }
  }

  /** Delivers the commits between the last one delivered and the head, oldest first. */
  private void deliverNew() {
    Address head = store.head(branch).orElse(null);
    if (head == null || head.equals(delivered)) return;
    List<Address> fresh = new ArrayList<>();
    for (Address a = head; a != null && !a.equals(delivered); ) {
      CommitRecord r = commits.record(a);
      if (r.basisT() <= deliveredT) break; // a chain written again: its older commits were delivered
      fresh.add(a);
      a = r.parent();
    }
    for (int i = fresh.size() - 1; i >= 0; i--) {
      Address a = fresh.get(i);
      TxReport report = ownReport(a);
      if (report == null) report = rebuilt(a);
      long t = report.dbAfter().basisT();
      for (Subscriber s : subscribers) {
        if (t <= s.afterT()) continue;
        try {
          s.listener().accept(report);
        } catch (RuntimeException e) {
          LOG.warn("a tx listener of {} failed", uri, e);
        }
      }
      delivered = a;
      deliveredT = t;
    }
  }

  private TxReport ownReport(Address a) {
    lock.lock();
    try {
      return own.remove(a);
    } finally {
      lock.unlock();
    }
  }

  /** The report of a commit made elsewhere: the Dbs around it and its datoms from the record. */
  private TxReport rebuilt(Address a) {
    Snapshot after = commits.open(a);
    Snapshot before = commits.open(after.parent());
    LogEntry entry = new CommitLog(commits, a, after.basisT(), after.horizonT()).txRange(after.basisT(), null).iterator().next();
    return new TxReport(new DbImpl(before), new DbImpl(after), entry.data(), Map.of(":db/current-tx", entry.tx()));
  }
}
