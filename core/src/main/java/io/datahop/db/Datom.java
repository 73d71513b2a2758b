package io.datahop.db;

/**
 * One fact: entity {@code e} has value {@code v} for attribute {@code a}, asserted ({@code
 * added}) or retracted in transaction {@code tx}. The attribute is the entity id of its schema
 * entity, as in Datomic; {@code Db.ident(a)} gives its keyword.
 *
 * <p>Values are String, Long, Double, Float, Boolean, Keyword, Symbol, UUID, Instant,
 * BigInteger, BigDecimal, byte[], a Long entity id for refs, or a List for tuples.
 */
public record Datom(long e, long a, Object v, long tx, boolean added) {}
