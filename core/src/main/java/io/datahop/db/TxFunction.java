package io.datahop.db;

import java.util.List;

/**
 * A transaction function, called from tx-data as {@code [:my.ns/fn arg1 arg2]} (Datomic's form).
 * It runs in the writer, on the database value before the transaction, and returns tx-data (EDN
 * text, or a list of maps and vectors) that replaces the call; that tx-data may call further
 * functions. When another writer commits first the whole transaction, calls included, runs again
 * on the new value, so a function must depend only on its arguments and {@code db}. Throwing
 * aborts the transaction with that error. Register it with {@link Functions#transactionFunction}.
 */
@FunctionalInterface
public interface TxFunction {
  /** The tx-data that replaces the call {@code [name args…]}. */
  Object apply(Db db, List<Object> args);
}
