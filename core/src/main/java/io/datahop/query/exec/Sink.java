package io.datahop.query.exec;

/** Receives rows; returns false to stop the producer early (existence checks, limits). */
@FunctionalInterface
interface Sink {
  boolean accept(Object[] row);
}
