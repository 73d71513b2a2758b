package io.datahop.db;

/**
 * The transaction log of one branch, as Datomic's: every transaction's datoms in t order. A
 * value: it covers the transactions up to the head at the time {@link Connection#log()} was
 * called. Reading is lazy: a range reads the commit records it returns (and, to find where it
 * starts, the headers of those after it), never the index trees.
 *
 * <p>In queries, bind it to a source such as {@code $log} and use {@code [(tx-ids $log ?t1 ?t2)
 * [?tx ...]]} and {@code [(tx-data $log ?tx) [[?e ?a ?v _ ?op]]]}.
 */
public interface Log {
  /**
   * The transactions with {@code fromT <= t < toT}, oldest first; {@code null} leaves that end
   * open (from the first transaction kept — 1, or where a history retention cut — to the newest).
   * As Datomic's {@code tx-range}, the end is exclusive.
   */
  Iterable<LogEntry> txRange(Long fromT, Long toT);

  /** The t of the newest transaction this log covers (0 for a database with none). */
  long basisT();
}
