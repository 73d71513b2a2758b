package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape every command and the shell print for a failure, so scripts parse a single form:
 * {@code {:error {:category :incorrect, :code :tx/wrong-type, :message "…", :context {…}}}}.
 * Errors that are not datahop's own carry {@code :category :fault} and no code.
 */
final class ErrorEdn {
  private ErrorEdn() {}

  static Map<Keyword, Object> of(DatahopException e) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("category"), Keyword.of(e.category()));
    m.put(Keyword.of("code"), Keyword.of(e.code()));
    m.put(Keyword.of("message"), e.getMessage());
    if (!e.context().isEmpty()) {
      Map<Keyword, Object> ctx = new LinkedHashMap<>();
      e.context().forEach((k, v) -> ctx.put(Keyword.of(k), v));
      m.put(Keyword.of("context"), ctx);
    }
    return Map.of(Keyword.of("error"), m);
  }

  /** A usage mistake found by the command itself (bad arguments, missing database). */
  static Map<Keyword, Object> incorrect(String message) {
    return plain("incorrect", message);
  }

  /** Anything unexpected: the message is the exception's own. */
  static Map<Keyword, Object> fault(Throwable t) {
    return plain("fault", String.valueOf(t));
  }

  private static Map<Keyword, Object> plain(String category, String message) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("category"), Keyword.of(category));
    m.put(Keyword.of("message"), message);
    return Map.of(Keyword.of("error"), m);
  }
}
