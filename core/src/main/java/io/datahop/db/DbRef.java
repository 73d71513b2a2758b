package io.datahop.db;

import io.datahop.store.Address;
import io.datahop.store.StoreId;
import java.util.Objects;

/**
 * The tiny pointer a {@link Db} travels as: which store, which commit, which view. Its size
 * does not depend on the database's size. A receiving process rebuilds the Db in O(1) with
 * {@link Connection#dbAt(DbRef)} on a connection to the same store; index nodes load lazily.
 *
 * @param storeId the store's id (the address space)
 * @param locator the store URI, for error messages and opt-in auto-connect
 * @param commit the commit record's address
 * @param asOfT the as-of filter's t, or {@code null}
 * @param sinceT the since filter's t, or {@code null}
 * @param history true for a history view
 */
public record DbRef(
    StoreId storeId, String locator, Address commit, Long asOfT, Long sinceT, boolean history) {
  public DbRef {
    Objects.requireNonNull(storeId, "storeId");
    Objects.requireNonNull(locator, "locator");
    Objects.requireNonNull(commit, "commit");
  }
}
