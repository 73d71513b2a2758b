package io.datahop.db;

import java.time.Instant;
import java.util.List;

/**
 * One transaction of the {@link Log}.
 *
 * @param t the transaction's basis t
 * @param tx its transaction entity id
 * @param instant its {@code :db/txInstant}
 * @param data every datom it asserted ({@code added}) or retracted, each with {@code tx} as its
 *     tx (assertions first, then retractions; the transaction entity's own datoms included)
 */
public record LogEntry(long t, long tx, Instant instant, List<Datom> data) {
  public LogEntry {
    data = List.copyOf(data);
  }
}
