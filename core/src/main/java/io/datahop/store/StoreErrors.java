package io.datahop.store;

import io.datahop.DatahopException;
import java.util.Map;

/** The errors every backend raises, so codes, messages and context keys agree across backends. */
final class StoreErrors {
  private StoreErrors() {}

  static DatahopException.NotFound missing(String locator, Address address) {
    return new DatahopException.NotFound(
        "store/missing-blob",
        "no blob " + address + " in store " + locator,
        Map.of("address", address.hex(), "store", locator),
        null);
  }

  static DatahopException.Fault damaged(String locator, Address address, String why) {
    return new DatahopException.Fault(
        "store/damaged-blob",
        "blob " + address + " in store " + locator + " is damaged: " + why,
        Map.of("address", address.hex(), "store", locator),
        null);
  }

  static DatahopException.Fault io(String locator, String what, Exception cause) {
    return new DatahopException.Fault(
        "store/io",
        what + " in store " + locator + " failed: " + cause,
        Map.of("store", locator),
        cause);
  }

  /**
   * A write, force or truncate failed (or failed before, in this store instance, which then
   * takes no more writes): {@code store/io-failed}, naming the file and the cause.
   */
  static DatahopException.Fault ioFailed(String locator, String file, Exception cause, String message) {
    return new DatahopException.Fault(
        "store/io-failed",
        message,
        Map.of("store", locator, "file", file, "cause", String.valueOf(cause)),
        cause);
  }

  static DatahopException.NotFound noStore(String uri) {
    return new DatahopException.NotFound(
        "store/not-found",
        "no store at " + uri + " (open it with create=true to make one)",
        Map.of("store", uri),
        null);
  }

  /** Head names are non-empty text without control characters, at most 1000 characters. */
  static String checkHeadName(String name) {
    if (name == null || name.isEmpty() || name.length() > 1000 || name.chars().anyMatch(Character::isISOControl)) {
      throw new DatahopException.Incorrect(
          "store/bad-head",
          "a head name is 1 to 1000 characters without control characters, got "
              + (name == null ? "null" : "'" + name + "'"),
          null,
          null);
    }
    return name;
  }
}
