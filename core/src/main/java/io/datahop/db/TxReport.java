package io.datahop.db;

import java.util.List;
import java.util.Map;

/**
 * The result of a transaction.
 *
 * @param dbBefore the database before the transaction
 * @param dbAfter the database after it
 * @param txData the datoms the transaction asserted and retracted, including tx metadata
 *     (unmodifiable: a big import's list is the transactor's own array, not a copy)
 * @param tempids each tempid of the tx-data (String or negative Long) to its entity id; the key
 *     {@code ":db/current-tx"} maps to the transaction entity id
 */
public record TxReport(Db dbBefore, Db dbAfter, List<Datom> txData, Map<Object, Long> tempids) {}
