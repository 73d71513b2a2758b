package io.datahop.db;

import io.datahop.edn.Edn;

/** Reads EDN text given where data is expected. */
final class EdnBridge {
  private EdnBridge() {}

  static Object read(String text) {
    return Edn.read(text);
  }
}
