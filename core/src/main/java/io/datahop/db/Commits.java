package io.datahop.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datahop.store.Address;
import java.time.Instant;
import java.util.List;

/**
 * Writes snapshots as commit records and opens commit records as snapshots. Opening reads one
 * small blob and then the schema datoms (a short EAVT/AEVT range); the result is cached per
 * address, so {@code dbAt} of a known commit costs a map lookup.
 */
final class Commits {
  static final int INDEX_KIND_BTREE_V1 = 1;

  private final IndexContext ctx;
  private final Cache<Address, Snapshot> opened = Caffeine.newBuilder().maximumSize(256).build();

  Commits(IndexContext ctx) {
    this.ctx = ctx;
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
        ctx.emptyIndexes(), 0, Ids.USER_PART, Ids.FIRST_ATTR_ID, Instant.EPOCH, null, null);
    return withSchema(s);
  }

  private static Snapshot withSchema(Snapshot s) {
    Schema schema = Schema.build(a -> () -> s.scan(IndexType.AEVT, a));
    return new Snapshot(s.ctx(), s.keepHistory(), s.schemaOnRead(), schema, s.current(), s.history(),
        s.basisT(), s.nextUserId(), s.nextAttrId(), s.lastTxInstant(), s.address(), s.parent());
  }

  /** Stores the snapshot's new nodes and its commit record; returns it with its address. */
  Snapshot write(Snapshot s) {
    Address[] roots = new Address[8];
    Indexes c = s.current();
    Indexes h = s.history();
    roots[0] = c.eavt().flush();
    roots[1] = c.aevt().flush();
    roots[2] = c.avet().flush();
    roots[3] = c.vaet().flush();
    roots[4] = h.eavt().flush();
    roots[5] = h.aevt().flush();
    roots[6] = h.avet().flush();
    roots[7] = h.vaet().flush();
    CommitRecord rec = new CommitRecord(s.keepHistory(), s.schemaOnRead(), INDEX_KIND_BTREE_V1, s.basisT(),
        s.nextUserId(), s.nextAttrId(), s.lastTxInstant(), s.parent(), roots, c.size());
    Address at = ctx.store().put(rec.encode());
    Snapshot stored = s.withAddress(at);
    opened.put(at, stored);
    return stored;
  }

  /** The snapshot stored at {@code at}: O(1) when cached, else one blob plus the schema. */
  Snapshot open(Address at) {
    return opened.get(at, this::load);
  }

  CommitRecord record(Address at) {
    return CommitRecord.decode(at, ctx.store().get(at));
  }

  private Snapshot load(Address at) {
    CommitRecord r = record(at);
    if (r.indexKind() != INDEX_KIND_BTREE_V1) {
      throw new io.datahop.DatahopException.Unsupported("db/index-kind",
          "commit " + at + " uses index kind " + r.indexKind() + ", unknown to this build");
    }
    Snapshot s = new Snapshot(ctx, r.keepHistory(), r.schemaOnRead(), null, ctx.loadIndexes(r.roots(), 0),
        ctx.loadIndexes(r.roots(), 4), r.basisT(), r.nextUserId(), r.nextAttrId(), r.txInstant(), at, r.parent());
    return withSchema(s);
  }
}
