package io.datahop.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datahop.DatahopException;
import io.datahop.store.Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes snapshots as commit records and opens commit records as snapshots.
 *
 * <p>Implementation notes. Most commits store only their change set: index trees are rewritten
 * ("folded") once the overlays hold more than {@link #FOLD_DATOMS} changes or {@link
 * #FOLD_TXS} commits, so a small transaction costs one blob and one head CAS instead of a new
 * path in eight trees. Opening a commit loads its base trees lazily (nothing read) and replays
 * the change sets of the commits since the base into the in-memory overlays, starting from the
 * newest ancestor already open in this process. The schema is rebuilt from datoms; results are
 * cached per address.
 */
final class Commits {
  static final int INDEX_KIND_BTREE_V1 = 1;
  static final long FOLD_DATOMS = Long.getLong("datahop.fold.datoms", 200_000);
  static final int FOLD_TXS = Integer.getInteger("datahop.fold.txs", 512);

  private final IndexContext ctx;
  private final long foldDatoms;
  private final int foldTxs;
  private final Cache<Address, Snapshot> opened = Caffeine.newBuilder().maximumSize(64).build();

  Commits(IndexContext ctx) {
    this(ctx, FOLD_DATOMS, FOLD_TXS);
  }

  Commits(IndexContext ctx, long foldDatoms, int foldTxs) {
    this.ctx = ctx;
    this.foldDatoms = foldDatoms;
    this.foldTxs = foldTxs;
  }

  IndexContext ctx() {
    return ctx;
  }

  /** The snapshot of transaction 0 of a new database: just the system schema. */
  Snapshot bootstrap(DbConfig config) {
    List<Datom> boot = Schema.bootstrapDatoms();
    Indexes current = ctx.emptyIndexes().update(List.of(), boot, a -> a == Schema.VALUE_TYPE
        || a == Schema.CARDINALITY || a == Schema.UNIQUE);
    Snapshot s = new Snapshot(ctx, config.keepHistory(), config.schemaOnRead(), null, current,
        ctx.emptyIndexes(), 0, Ids.USER_PART, Ids.FIRST_ATTR_ID, Instant.EPOCH, null, null, null, 0, 0, null, 0);
    return withSchema(s);
  }

  private static Snapshot withSchema(Snapshot s) {
    return s.withSchema(Schema.build(a -> () -> s.scan(IndexType.AEVT, a)));
  }

  /** Stores the snapshot (its change set, or whole new trees when it is time to fold). */
  Snapshot write(Snapshot s) {
    return write(s, folds(s));
  }

  /** True when storing {@code s} folds its overlays into new trees (which needs its indices). */
  boolean folds(Snapshot s) {
    return s.changes() == null || s.tailTxs() > foldTxs || s.tailDatoms() > foldDatoms;
  }

  /**
   * Stores the commit record of a snapshot whose current indices are still being built ({@link
   * Transactor.Deferred}): {@code shell} carries those of its parent, whose base trees are its
   * own (it does not fold), and {@code datomCount} its count. Finish with {@link #stored}.
   */
  Address writeDeferred(Snapshot shell, long datomCount) {
    if (folds(shell)) {
      throw new IllegalStateException("a commit that folds needs its indices");
    }
    return ctx.store().put(record(shell, shell.current(), shell.history(), datomCount, false).encode());
  }

  /** The snapshot stored at {@code at} by {@link #writeDeferred}, with its indices built. */
  Snapshot stored(Snapshot shell, Indexes current, Address at) {
    Snapshot s = new Snapshot(ctx, shell.keepHistory(), shell.schemaOnRead(), shell.schema(), current,
        shell.history(), shell.basisT(), shell.nextUserId(), shell.nextAttrId(), shell.lastTxInstant(), at,
        shell.parent(), shell.baseCommit(), shell.tailTxs(), shell.tailDatoms(), shell.changes(), shell.horizonT());
    opened.put(at, s);
    return s;
  }

  private static CommitRecord record(Snapshot s, Indexes c, Indexes h, long datomCount, boolean fold) {
    Address[] roots = {
      c.eavt().baseAddress(), c.aevt().baseAddress(), c.avet().baseAddress(), c.vaet().baseAddress(),
      h.eavt().baseAddress(), h.aevt().baseAddress(), h.avet().baseAddress(), h.vaet().baseAddress()
    };
    return new CommitRecord(s.keepHistory(), s.schemaOnRead(), INDEX_KIND_BTREE_V1, s.basisT(),
        s.nextUserId(), s.nextAttrId(), s.lastTxInstant(), s.parent(), roots, datomCount,
        fold ? null : s.baseCommit(), fold ? 0 : s.tailTxs(), fold ? 0 : s.tailDatoms(), s.changes(), s.horizonT());
  }

  /** Stores the snapshot, folding the overlays into new stored trees when {@code fold}. */
  Snapshot write(Snapshot s, boolean fold) {
    Indexes c = s.current();
    Indexes h = s.history();
    if (fold) {
      c = c.materialize();
      h = h.materialize();
    }
    Address at = ctx.store().put(record(s, c, h, c.size(), fold).encode());
    Snapshot stored = new Snapshot(ctx, s.keepHistory(), s.schemaOnRead(), s.schema(), c, h, s.basisT(),
        s.nextUserId(), s.nextAttrId(), s.lastTxInstant(), at, s.parent(), fold ? at : s.baseCommit(),
        fold ? 0 : s.tailTxs(), fold ? 0 : s.tailDatoms(), fold ? null : s.changes(), s.horizonT());
    opened.put(at, stored);
    return stored;
  }

  /** The snapshot stored at {@code at}: O(1) when cached, else its record, tail and schema. */
  Snapshot open(Address at) {
    Snapshot s = opened.getIfPresent(at);
    if (s == null) {
      s = load(at);
      opened.put(at, s);
    }
    return s;
  }

  /**
   * {@link #open} for a commit someone named (a DbRef): a commit that is no longer in the store
   * is a clear error. History that was written again (an excision) leaves the old commits to gc,
   * so a DbRef taken before it stops working once gc ran — it never shows other data.
   */
  Snapshot openRef(Address at) {
    try {
      return open(at);
    } catch (DatahopException.NotFound e) {
      if (!"store/missing-blob".equals(e.code())) throw e;
      throw new DatahopException.NotFound("db/commit-gone",
          "commit " + at.hex() + " is no longer in store " + ctx.store().locator() + ": it is not reachable from"
              + " any head (history written again by an excision, then collected by gc); open the database from"
              + " its head instead",
          Map.of("commit", at.hex(), "store", ctx.store().locator()), e);
    }
  }

  CommitRecord record(Address at) {
    return CommitRecord.decode(at, ctx.store().get(at));
  }

  private Snapshot load(Address at) {
    CommitRecord r = record(at);
    if (r.indexKind() != INDEX_KIND_BTREE_V1) {
      throw new DatahopException.Unsupported("db/index-kind",
          "commit " + at + " uses index kind " + r.indexKind() + ", unknown to this build");
    }
    Snapshot start;
    List<CommitRecord> chain = new ArrayList<>();
    if (r.base() == null) {
      start = new Snapshot(ctx, r.keepHistory(), r.schemaOnRead(), null, ctx.loadIndexes(r.roots(), 0),
          ctx.loadIndexes(r.roots(), 4), r.basisT(), r.nextUserId(), r.nextAttrId(), r.txInstant(), at,
          r.parent(), at, 0, 0, null, r.horizonT());
    } else {
      chain.add(r);
      Address p = r.parent();
      Snapshot cached = null;
      while (p != null && !p.equals(r.base())) {
        cached = opened.getIfPresent(p);
        if (cached != null) break;
        CommitRecord pr = record(p);
        if (!r.base().equals(pr.base()) || chain.size() > r.tailTxs() + 1) {
          throw new DatahopException.Fault("db/bad-commit-chain",
              "commit " + p + " does not lead to base " + r.base(), Map.of("address", p.hex()), null);
        }
        chain.add(pr);
        p = pr.parent();
      }
      start = cached != null ? cached : open(r.base());
    }
    Indexes cur = start.current();
    Indexes hist = start.history();
    for (int i = chain.size() - 1; i >= 0; i--) {
      Changes ch = chain.get(i).changes();
      cur = cur.update(ch.removes(), ch.adds(), ch::isRef);
      hist = hist.update(List.of(), ch.historyAdds(), ch::isRef);
    }
    Snapshot s = new Snapshot(ctx, r.keepHistory(), r.schemaOnRead(), null, cur, hist, r.basisT(),
        r.nextUserId(), r.nextAttrId(), r.txInstant(), at, r.parent(), r.base() == null ? at : r.base(),
        r.tailTxs(), r.tailDatoms(), r.base() == null ? null : r.changes(), r.horizonT());
    return withSchema(s);
  }
}
