package io.datahop.db;

import java.util.function.Supplier;

/**
 * A computation run on a second thread while the caller does other work, for the big batches
 * of an import (the machine may have only two cores; a pool would sit idle the rest of the
 * time). {@link #join} returns its result or rethrows what it threw.
 */
final class Fork<T> {
  private static final boolean PARALLEL = Runtime.getRuntime().availableProcessors() > 1;

  private final Supplier<T> work;
  private final Thread thread;
  private T result;
  private Throwable failure;

  private Fork(Supplier<T> work, boolean async) {
    this.work = work;
    this.thread = async ? Thread.ofPlatform().daemon().name("datahop-fork").start(this::run) : null;
    if (!async) run();
  }

  /** Starts {@code work} on its own thread when {@code big} (and there is a second core), else runs it now. */
  static <T> Fork<T> start(boolean big, Supplier<T> work) {
    return new Fork<>(work, big && PARALLEL);
  }

  private void run() {
    try {
      result = work.get();
    } catch (Throwable t) {
      failure = t;
    }
  }

  T join() {
    if (thread != null) {
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException r) throw r;
    if (failure instanceof Error e) throw e;
    return result;
  }
}
