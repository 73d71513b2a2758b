package io.datahop.db;

import io.datahop.edn.Keyword;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tempid as Datomic writes it in EDN: {@code #db/id [:db.part/user -1]} (the same entity
 * wherever the same partition and index appear in one transaction) or {@code #db/id
 * [:db.part/user]} (a new entity each time it is read: it draws the next index up from
 * {@code Long.MIN_VALUE}, so it never meets an index a file spells out; Datomic's reader counts
 * down from -1,000,000, where files written for it also put their own indexes).
 *
 * <p>datahop keeps no partitions: a tempid of {@code :db.part/user} or of a partition the
 * database installed ({@code :db.install/_partition}) becomes a new entity id like a string
 * tempid, one of {@code :db.part/db} that asserts {@code :db/valueType} an attribute id, and one
 * of {@code :db.part/tx} names the transaction entity. In a {@link TxReport}'s tempids the
 * Tempid itself is the key.
 *
 * @param partition the partition's ident, e.g. {@code :db.part/user}
 * @param index a negative number naming the entity within the transaction
 */
public record Tempid(Keyword partition, long index) {
  private static final AtomicLong FRESH = new AtomicLong(Long.MIN_VALUE);

  public Tempid {
    Objects.requireNonNull(partition, "partition");
    if (index >= 0) {
      throw new IllegalArgumentException("a tempid's index is negative, got " + index);
    }
  }

  /** A tempid no other names: what {@code #db/id [partition]} reads as. */
  public static Tempid fresh(Keyword partition) {
    return new Tempid(partition, FRESH.incrementAndGet());
  }

  /** The {@code #db/id} literal. */
  @Override
  public String toString() {
    return "#db/id [" + partition + " " + index + "]";
  }
}
