package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import io.datahop.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one branch of one store.
 *
 * <p>Implementation notes. Writes go through one writer thread per connection fed by a queue:
 * it takes every transaction waiting (group commit), runs them one after another on the newest
 * head, stores their nodes and commit records, and then moves the head with one compare-and-set
 * — the one store sync the batch pays. Only after that CAS are the callers' futures completed,
 * so {@link #transact} returns once the commit is durable. When the CAS fails another process
 * committed first: the writer reopens the new head and re-runs the whole batch on it. A
 * transaction that is rejected fails alone; the rest of its batch commits.
 *
 * <p>{@link #db()} reads the head (a small read) each call, so it reflects commits of other
 * processes at once; opening a commit seen before is a cache hit.
 */
final class ConnectionImpl implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionImpl.class);
  private static final int MAX_BATCH = 512;
  /** Index update and commit write at once ({@code -Ddatahop.tx.pipeline=false}: one after the other). */
  private static final boolean PIPELINE = !"false".equals(System.getProperty("datahop.tx.pipeline"));

  private record Request(Object txData, CompletableFuture<TxReport> done) {}

  /** Queued by {@link #close} so the writer stops now, not at the end of its poll interval. */
  private static final Request WAKE = new Request(null, null);

  private final Store store;
  private final String uri;
  private final String branch;
  private final Commits commits;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final CommitFeed feed;
  private final Thread writer;
  /**
   * Updates a transaction's indices while the writer stores and syncs its commit: the two are
   * independent once the change set is known, so a small transaction's latency is about the
   * larger of the two instead of their sum.
   */
  private final ExecutorService indexer;
  private final Runnable onClose;
  private volatile Snapshot latest;
  private volatile boolean closed;

  ConnectionImpl(Store store, String uri, String branch, Commits commits, Snapshot head, Runnable onClose) {
    this.store = store;
    this.uri = uri;
    this.branch = branch;
    this.commits = commits;
    this.latest = head;
    this.onClose = onClose;
    this.feed = new CommitFeed(store, branch, commits, uri);
    this.indexer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("datahop-indexer " + uri).factory());
    this.writer = Thread.ofPlatform().daemon().name("datahop-writer " + uri).start(this::writeLoop);
  }

  Commits commits() {
    return commits;
  }

  @Override
  public Db db() {
    requireOpen();
    return new DbImpl(refresh());
  }

  /** The newest committed snapshot, reading the head from the store. */
  private Snapshot refresh() {
    Address head = store.head(branch).orElse(null);
    Snapshot s = latest;
    if (head != null && !head.equals(s.address())) {
      s = commits.open(head);
      latest = s;
    }
    return s;
  }

  @Override
  public TxReport transact(Object txData) {
    try {
      return transactAsync(txData).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        r.addSuppressed(new RuntimeException("transact called here"));
        throw r;
      }
      throw e;
    }
  }

  @Override
  public CompletableFuture<TxReport> transactAsync(Object txData) {
    requireOpen();
    CompletableFuture<TxReport> f = new CompletableFuture<>();
    queue.add(new Request(txData, f));
    return f;
  }

  private void writeLoop() {
    List<Request> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null || first == WAKE) continue;
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        batch.remove(WAKE);
        commit(batch);
      } catch (InterruptedException e) {
        if (closed) break;
      } catch (Throwable t) {
        LOG.error("writer of {} failed a batch", uri, t);
        for (Request r : batch) r.done.completeExceptionally(t);
      }
    }
    for (Request r; (r = queue.poll()) != null; ) {
      if (r == WAKE) continue;
      r.done.completeExceptionally(new DatahopException.Unavailable("db/connection-closed", "the connection to " + uri + " is closed"));
    }
  }

  /**
   * The last transaction of a batch, committed while its index update runs on {@link #indexer}:
   * its commit record is at {@code at}, {@code before} is the db it ran on.
   */
  private record Deferred(Snapshot before, Transactor.Result result, Address at) {}

  private void commit(List<Request> batch) {
    for (int attempt = 0; ; attempt++) {
      // read before the first put: a gc sweep after it makes the compare-and-set below fail
      long gcGeneration = store.gcGeneration();
      Snapshot base = refresh();
      Snapshot cur = base;
      Address head = base.address();
      Deferred deferred = null;
      List<TxReport> reports = new ArrayList<>(batch.size());
      List<Throwable> failures = new ArrayList<>(batch.size());
      List<HistoryRewrite.Excision> excisions = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Request r = batch.get(i);
        try {
          // only the last one: the others' indices are needed by the transaction after them; nor
          // after an excision, whose history rewrite needs every commit of the batch stored
          boolean last = i == batch.size() - 1;
          Executor pipeline = last && PIPELINE && excisions.isEmpty() ? indexer : null;
          Transactor.Result res = Transactor.run(cur, r.txData(), Instant.now(), pipeline);
          if (res.deferred() != null && !commits.folds(res.after())) {
            head = commits.writeDeferred(res.after(), res.deferred().datomCount());
            deferred = new Deferred(cur, res, head);
            reports.add(null);
            failures.add(null);
            continue;
          }
          Snapshot after = res.deferred() == null ? res.after() : res.after().withCurrent(res.deferred().current().join());
          Snapshot stored = commits.write(after);
          reports.add(new TxReport(new DbImpl(cur), new DbImpl(stored), res.txData(), res.tempids()));
          excisions.addAll(HistoryRewrite.requests(stored, res.txData()));
          failures.add(null);
          cur = stored;
          head = stored.address();
        } catch (RuntimeException | StackOverflowError e) {
          reports.add(null);
          failures.add(e);
        }
      }
      if (!excisions.isEmpty()) {
        // an excision: the whole history again without the excised datoms, then one head move
        Snapshot last = cur;
        Map<Long, Snapshot> rewritten = HistoryRewrite.rewrite(commits, last, excisions);
        for (int i = 0; i < reports.size(); i++) {
          TxReport rep = reports.get(i);
          if (rep == null) continue;
          long t = rep.dbAfter().basisT();
          Snapshot before = rewritten.get(t - 1);
          reports.set(i, new TxReport(before == null ? rep.dbBefore() : new DbImpl(before), new DbImpl(rewritten.get(t)),
              rep.txData(), rep.tempids()));
        }
        cur = rewritten.get(last.basisT());
        head = cur.address();
      }
      boolean moved = head != null && !head.equals(base.address());
      boolean committed = !moved || store.compareAndSetHead(branch, base.address(), head, gcGeneration);
      if (deferred != null) {
        Snapshot done = finishDeferred(deferred, committed);
        if (done != null) {
          Transactor.Result res = deferred.result();
          reports.set(batch.size() - 1, new TxReport(new DbImpl(deferred.before()), new DbImpl(done), res.txData(), res.tempids()));
          cur = done;
        }
      }
      if (committed) {
        if (moved) latest = cur;
        // the feed's thread calls the listeners: a slow one must not hold up this writer
        feed.committed(reports);
        for (int i = 0; i < batch.size(); i++) {
          if (failures.get(i) != null) {
            batch.get(i).done.completeExceptionally(failures.get(i));
          } else {
            batch.get(i).done.complete(reports.get(i));
          }
        }
        return;
      }
      if (attempt > 10_000) {
        throw new DatahopException.Conflict("db/commit-contention",
            "gave up committing to " + uri + " after " + attempt + " lost head races", Map.of("uri", uri), null);
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Moves the head to {@code rewrite(head)}, a new chain written from the current one (history
   * retention), retrying on the new head when another writer commits first; false when it
   * returns null (nothing to rewrite).
   */
  boolean rewriteHistory(java.util.function.Function<Snapshot, Snapshot> rewrite) {
    requireOpen();
    while (true) {
      long gcGeneration = store.gcGeneration();
      Snapshot base = refresh();
      Snapshot next = rewrite.apply(base);
      if (next == null) return false;
      if (store.compareAndSetHead(branch, base.address(), next.address(), gcGeneration)) {
        latest = next;
        return true;
      }
    }
  }

  /**
   * Waits for the index update of a deferred transaction; when it committed, the stored snapshot.
   * The commit is durable by now, so an index update that failed (a bug) must not lose it: the
   * snapshot is then rebuilt from the commit record.
   */
  private Snapshot finishDeferred(Deferred d, boolean committed) {
    Indexes current;
    try {
      current = d.result().deferred().current().join();
    } catch (RuntimeException e) {
      if (!committed) return null;
      LOG.error("updating the indices of {} failed; reopening the commit", d.at(), e);
      return commits.open(d.at());
    }
    return committed ? commits.stored(d.result().after(), current, d.at()) : null;
  }

  @Override
  public Db dbAt(DbRef ref) {
    if (!ref.storeId().equals(store.id())) {
      throw new DatahopException.Incorrect("db/wrong-store",
          "DbRef of store " + ref.storeId() + " (" + ref.locator() + ") given to a connection to " + store.id()
              + " (" + uri + ")",
          Map.of("store-id", ref.storeId().toString(), "locator", ref.locator()), null);
    }
    Snapshot s = commits.openRef(ref.commit());
    return new DbImpl(s, ref.asOfT(), ref.sinceT(), ref.history());
  }

  @Override
  public AutoCloseable listen(Consumer<TxReport> listener) {
    requireOpen();
    return feed.add(listener, refresh());
  }

  @Override
  public Functions functions() {
    return commits.ctx().functions();
  }

  @Override
  public Log log() {
    requireOpen();
    Snapshot head = refresh();
    return new CommitLog(commits, head.address(), head.basisT(), head.horizonT());
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public String uri() {
    return uri;
  }

  String branch() {
    return branch;
  }

  private void requireOpen() {
    if (closed) {
      throw new DatahopException.Unavailable("db/connection-closed", "the connection to " + uri + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    queue.add(WAKE);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    indexer.shutdown();
    feed.close();
    onClose.run();
  }
}
