package io.datahop.db;

/**
 * One fact: entity {@code e} has value {@code v} for attribute {@code a}, asserted ({@code
 * added}) or retracted in transaction {@code tx}. The attribute is the entity id of its schema
 * entity, as in Datomic; {@code Db.ident(a)} gives its keyword. {@code tx} is the transaction's
 * entity id (see {@link Databases#txEid}), not its t.
 *
 * <p>Values are String, Long, Double, Float, Boolean, Keyword, Symbol, UUID, Instant,
 * BigInteger, BigDecimal, byte[], a Long entity id for refs, or a List for tuples. Equality
 * compares byte arrays and tuples by content.
 */
public record Datom(long e, long a, Object v, long tx, boolean added) {
  @Override
  public boolean equals(Object o) {
    return o instanceof Datom d
        && e == d.e
        && a == d.a
        && tx == d.tx
        && added == d.added
        && Values.equal(v, d.v);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(e);
    h = 31 * h + Long.hashCode(a);
    h = 31 * h + Values.hash(v);
    h = 31 * h + Long.hashCode(tx);
    return 31 * h + (added ? 1 : 0);
  }

  @Override
  public String toString() {
    String val = v instanceof String s ? '"' + s + '"' : v instanceof byte[] b ? "#bytes[" + b.length + "]" : String.valueOf(v);
    return "#datom [" + e + " " + a + " " + val + " " + tx + " " + added + "]";
  }
}
