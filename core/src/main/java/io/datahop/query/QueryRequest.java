package io.datahop.query;

import java.util.List;

/**
 * A query with its inputs and per-call options, the Java form of Datomic's query map {@code
 * {:query .. :args [..] :timeout ms :offset n :limit n}}. Null options mean "as the query says".
 */
public record QueryRequest(Object query, List<Object> args, Long timeoutMs, Long offset, Long limit) {
  public QueryRequest {
    args = args == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
  }

  /** A request with no options. */
  public static QueryRequest of(Object query, Object... args) {
    return new QueryRequest(query, java.util.Arrays.asList(args), null, null, null);
  }

  /**
   * The same request with a timeout in milliseconds (0 or less: none): past it the query stops
   * with {@link io.datahop.DatahopException.Unavailable} {@code query/timeout}; subqueries share it.
   */
  public QueryRequest withTimeout(long ms) {
    return new QueryRequest(query, args, ms, offset, limit);
  }

  /** {@link #withTimeout(long)} with a Duration. */
  public QueryRequest withTimeout(java.time.Duration timeout) {
    long ms;
    try {
      ms = Math.max(1, timeout.toMillis());
    } catch (ArithmeticException tooLong) {
      ms = Long.MAX_VALUE; // no timeout in practice
    }
    return withTimeout(ms);
  }

  /** The same request with an offset and limit (negative limit: none). */
  public QueryRequest withPage(long offset, long limit) {
    return new QueryRequest(query, args, timeoutMs, offset, limit);
  }
}
