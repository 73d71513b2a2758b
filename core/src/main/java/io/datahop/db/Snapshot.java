package io.datahop.db;

import io.datahop.store.Address;
import java.time.Instant;

/**
 * The whole state of one database value: schema, indices and counters. Immutable; a new one per
 * transaction. {@code address} is the commit record's address, or null until committed (and
 * forever for a speculative {@code with}). {@code baseCommit} is the last commit whose index
 * trees were stored whole; the commits since ({@code tailTxs} of them, {@code tailDatoms}
 * changes) live in the index overlays and in their commit records' change sets.
 */
record Snapshot(
    IndexContext ctx,
    boolean keepHistory,
    boolean schemaOnRead,
    Schema schema,
    Indexes current,
    Indexes history,
    long basisT,
    long nextUserId,
    long nextAttrId,
    Instant lastTxInstant,
    Address address,
    Address parent,
    Address baseCommit,
    int tailTxs,
    long tailDatoms,
    Changes changes,
    long horizonT) {

  /** Current datoms of {@code index} between the bounds built from leading components. */
  java.util.Iterator<Datom> scan(IndexType index, Object... comps) {
    return current.get(index).slice(DatomOrder.bound(index, comps, false), DatomOrder.bound(index, comps, true));
  }

  /** True when some current datom has attribute {@code a} (O(log n)). */
  boolean hasAttribute(long a) {
    return current.aevt().count(DatomOrder.bound(IndexType.AEVT, new Object[] {a}, false),
        DatomOrder.bound(IndexType.AEVT, new Object[] {a}, true)) > 0;
  }

  /** The entity whose current value of unique attribute {@code a} is {@code v}, or null. */
  Long lookup(long a, Object v) {
    var it = scan(IndexType.AVET, a, v);
    return it.hasNext() ? it.next().e() : null;
  }

  Snapshot withAddress(Address a) {
    return new Snapshot(ctx, keepHistory, schemaOnRead, schema, current, history, basisT, nextUserId,
        nextAttrId, lastTxInstant, a, parent, baseCommit, tailTxs, tailDatoms, changes, horizonT);
  }

  Snapshot withCurrent(Indexes c) {
    return new Snapshot(ctx, keepHistory, schemaOnRead, schema, c, history, basisT, nextUserId,
        nextAttrId, lastTxInstant, address, parent, baseCommit, tailTxs, tailDatoms, changes, horizonT);
  }

  Snapshot withSchema(Schema s) {
    return new Snapshot(ctx, keepHistory, schemaOnRead, s, current, history, basisT, nextUserId,
        nextAttrId, lastTxInstant, address, parent, baseCommit, tailTxs, tailDatoms, changes, horizonT);
  }

  /** The next transaction's state: same store and settings, new content. */
  Snapshot next(Schema s, Indexes cur, Indexes hist, long nextUser, long nextAttr, Instant instant, Changes ch) {
    return new Snapshot(ctx, keepHistory, schemaOnRead, s, cur, hist, basisT + 1, nextUser, nextAttr,
        instant, null, address, baseCommit, tailTxs + 1, tailDatoms + ch.size(), ch, horizonT);
  }
}
