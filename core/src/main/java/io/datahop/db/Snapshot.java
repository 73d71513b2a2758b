package io.datahop.db;

import io.datahop.store.Address;
import java.time.Instant;

/**
 * The whole state of one database value: schema, indices and counters. Immutable; a new one per
 * transaction. {@code address} is the commit record's address, or null until committed (and
 * forever for a speculative {@code with}).
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
    Address parent) {

  /** Current datoms of {@code index} between the bounds built from leading components. */
  java.util.Iterator<Datom> scan(IndexType index, Object... comps) {
    return current.get(index).slice(DatomOrder.bound(index, comps, false), DatomOrder.bound(index, comps, true));
  }

  /** The entity whose current value of unique attribute {@code a} is {@code v}, or null. */
  Long lookup(long a, Object v) {
    var it = scan(IndexType.AVET, a, v);
    return it.hasNext() ? it.next().e() : null;
  }

  Snapshot withAddress(Address a) {
    return new Snapshot(ctx, keepHistory, schemaOnRead, schema, current, history, basisT,
        nextUserId, nextAttrId, lastTxInstant, a, parent);
  }
}
