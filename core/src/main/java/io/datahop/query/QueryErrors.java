package io.datahop.query;

import io.datahop.DatahopException;
import io.datahop.edn.Edn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the errors a bad query gets. Every code is stable ({@code query/unbound-variable},
 * {@code query/unknown-function}, {@code query/wrong-arity}, {@code query/malformed-clause},
 * {@code query/insufficient-binding}, {@code query/unknown-rule}, {@code query/find-unbound}, …)
 * and the context names the clause text under {@code "clause"}.
 */
public final class QueryErrors {
  private QueryErrors() {}

  /** An {@link DatahopException.Incorrect} about {@code clause} (may be null). */
  public static DatahopException.Incorrect incorrect(String code, String message, Object clause) {
    return incorrect(code, message, clause, null);
  }

  /** As {@link #incorrect(String, String, Object)}, with the underlying failure. */
  public static DatahopException.Incorrect incorrect(
      String code, String message, Object clause, Throwable cause) {
    return incorrect(code, message, clause, Map.of(), cause);
  }

  /** As {@link #incorrect(String, String, Object, Throwable)}, with more context than the clause. */
  public static DatahopException.Incorrect incorrect(
      String code, String message, Object clause, Map<String, Object> context, Throwable cause) {
    Map<String, Object> ctx = new LinkedHashMap<>(context);
    String where = "";
    if (clause != null) {
      String text = clause instanceof String s ? s : text(clause);
      ctx.put("clause", text);
      where = " in " + text;
    }
    return new DatahopException.Incorrect(code, message + where, ctx, cause);
  }

  /** EDN text of a query fragment, falling back to {@code toString} for non-EDN values. */
  public static String text(Object form) {
    try {
      return Edn.write(form);
    } catch (RuntimeException e) {
      return String.valueOf(form);
    }
  }
}
