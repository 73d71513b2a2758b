package io.datahop.query;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A deadline for every query a thread runs, its subqueries included: the bound a caller puts
 * around work that runs queries it does not write itself (a remote body inherits its call's
 * deadline this way). A query stops at the earliest of its own {@code :timeout} ({@link
 * QueryRequest#withTimeout}) and the deadlines of the scopes it runs in, with {@link
 * io.datahop.DatahopException.Unavailable} {@code query/timeout}; a query whose thread is
 * interrupted stops with {@code Unavailable query/cancelled} (the interrupt stays set). Queries
 * check both every 1,024 rows or datoms they touch, so they stop within milliseconds.
 *
 * <pre>{@code
 * Object r = QueryDeadline.within(Duration.ofMillis(500), () -> db.q(query, input));
 * }</pre>
 */
public final class QueryDeadline {
  /** The deadline ({@link System#nanoTime()}) of this thread's innermost scope; null outside any. */
  private static final ThreadLocal<Long> CURRENT = new ThreadLocal<>();

  private QueryDeadline() {}

  /** Runs {@code work} with the queries it runs on this thread bounded by {@code timeout}. */
  public static <T> T within(Duration timeout, Supplier<T> work) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    Long previous = enter(System.nanoTime() + saturatedNanos(timeout));
    try {
      return work.get();
    } finally {
      exit(previous);
    }
  }

  /**
   * Opens a scope on this thread ending at {@code deadlineNanos} ({@link System#nanoTime()} based),
   * or at the enclosing scope's deadline when that is earlier; returns what {@link #exit} needs to
   * restore. For layers that run others' code under a deadline, in a {@code try/finally}:
   *
   * <pre>{@code
   * Long previous = QueryDeadline.enter(deadlineNanos);
   * try { body.call(); } finally { QueryDeadline.exit(previous); }
   * }</pre>
   */
  public static Long enter(long deadlineNanos) {
    Long previous = CURRENT.get();
    if (previous == null || deadlineNanos - previous < 0) {
      CURRENT.set(deadlineNanos);
    }
    return previous;
  }

  /** Closes the scope {@link #enter} opened, restoring the one it returned. */
  public static void exit(Long previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** The deadline ({@link System#nanoTime()} based) queries on this thread run under, if any. */
  public static OptionalLong current() {
    Long d = CURRENT.get();
    return d == null ? OptionalLong.empty() : OptionalLong.of(d);
  }

  /** Ten years: a longer timeout is none in practice, and added to nanoTime it cannot overflow. */
  private static final Duration LONGEST = Duration.ofDays(3650);

  private static long saturatedNanos(Duration d) {
    return (d.compareTo(LONGEST) > 0 ? LONGEST : d).toNanos();
  }
}
