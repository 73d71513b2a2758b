package io.datahop.db;

/**
 * Entity id layout, as in Datomic: the bits above 42 name a partition.
 *
 * <table>
 *   <caption>partitions</caption>
 *   <tr><th>partition</th><th>ids</th><th>holds</th></tr>
 *   <tr><td>db (0)</td><td>1 … 2<sup>42</sup>-1</td><td>system entities (1-99, fixed), then
 *       every attribute (an entity that asserts {@code :db/valueType}), allocated upward from 100</td></tr>
 *   <tr><td>tx (3)</td><td>3·2<sup>42</sup> + t</td><td>the transaction entity of transaction t</td></tr>
 *   <tr><td>user (4)</td><td>4·2<sup>42</sup> + n</td><td>every other new entity, n counting up</td></tr>
 * </table>
 *
 * <p>Keeping attribute ids small keeps datom keys short (the attribute is a varint) and lets the
 * schema be read from a short EAVT range.
 */
final class Ids {
  private Ids() {}

  static final long PART_BITS = 42;
  static final long TX_PART = 3L << PART_BITS;
  static final long USER_PART = 4L << PART_BITS;
  static final long FIRST_ATTR_ID = 100;

  static long txEid(long t) {
    return TX_PART + t;
  }

  static boolean isTx(long eid) {
    return eid >= TX_PART && eid < USER_PART;
  }

  static long tOf(long txEid) {
    return txEid - TX_PART;
  }
}
