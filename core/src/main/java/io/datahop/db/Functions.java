package io.datahop.db;

import io.datahop.DatahopException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The functions tx-data and schema may name, registered from Java by one database's users in
 * this process ({@link Connection#functions()}; shared by every connection to that database
 * here, and by nobody else): transaction functions ({@code [:my.ns/fn args…]}), attribute
 * predicates ({@code :db.attr/preds}) and entity predicates ({@code :db.entity/preds} of an
 * entity spec that {@code :db/ensure} names). Data only ever names a function; no class is ever
 * loaded by a name found in data. Names are namespaced, written without a colon
 * ({@code "my.ns/fn"}); the built-in operations ({@code db/add} …) cannot be replaced.
 */
public final class Functions {
  private final Map<String, TxFunction> txFunctions = new ConcurrentHashMap<>();
  private final Map<String, Predicate<Object>> attributePredicates = new ConcurrentHashMap<>();
  private final Map<String, BiPredicate<Db, Long>> entityPredicates = new ConcurrentHashMap<>();

  Functions() {}

  /** Registers (or replaces) the transaction function {@code name}, called as {@code [:name args…]}. */
  public Functions transactionFunction(String name, TxFunction fn) {
    txFunctions.put(checkName(name), Objects.requireNonNull(fn, "fn"));
    return this;
  }

  /**
   * Registers (or replaces) an attribute predicate: {@code :db.attr/preds 'name} on an attribute
   * makes every value asserted for it pass {@code pred} or the transaction fails.
   */
  public Functions attributePredicate(String name, Predicate<Object> pred) {
    attributePredicates.put(checkName(name), Objects.requireNonNull(pred, "pred"));
    return this;
  }

  /**
   * Registers (or replaces) an entity predicate: an entity spec listing it in {@code
   * :db.entity/preds} makes {@code pred(dbAfter, entity)} hold for every entity a transaction
   * {@code :db/ensure}s with that spec, or the transaction fails.
   */
  public Functions entityPredicate(String name, BiPredicate<Db, Long> pred) {
    entityPredicates.put(checkName(name), Objects.requireNonNull(pred, "pred"));
    return this;
  }

  TxFunction txFunction(String name) {
    return txFunctions.get(name);
  }

  boolean hasTxFunctions() {
    return !txFunctions.isEmpty();
  }

  Predicate<Object> attributePredicate(String name) {
    return attributePredicates.get(name);
  }

  BiPredicate<Db, Long> entityPredicate(String name) {
    return entityPredicates.get(name);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.startsWith(":") ? name.substring(1) : name;
    int slash = n.indexOf('/');
    if (slash <= 0 || slash == n.length() - 1 || n.startsWith("db/") || n.startsWith("db.")) {
      throw new DatahopException.Incorrect("db/bad-function-name",
          "a function name is namespaced and outside the db namespaces, as in my.ns/fn; got '" + name + "'",
          Map.of("name", name), null);
    }
    return n;
  }
}
