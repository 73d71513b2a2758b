package io.datahop.index;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A computation run on a second core while the caller does other work: the one way an import
 * splits its work (building AVET beside EAVT and AEVT, storing half a big tree, inserting half
 * a long sorted run). {@link #join} returns the result or rethrows what the work threw.
 *
 * <p>Forked work runs on a shared pool of daemon threads that grows on demand rather than on a
 * fixed pool, because forked work may itself fork and join (a forked AVET build flushes its
 * tree in halves): a bounded pool could leave the inner fork waiting behind the outer one.
 * Threads are reused, so a fork per transaction does not start a thread per transaction.
 */
public final class Fork<T> {
  /** A second core exists; on one core forking only adds hand-offs. */
  public static final boolean PARALLEL = Runtime.getRuntime().availableProcessors() > 1;

  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("datahop-fork-", 0).factory());

  private final CompletableFuture<T> result;

  private Fork(CompletableFuture<T> result) {
    this.result = result;
  }

  /** Starts {@code work} on another thread when {@code worthIt} and there is a second core, else runs it now. */
  public static <T> Fork<T> start(boolean worthIt, Supplier<T> work) {
    if (worthIt && PARALLEL) {
      return new Fork<>(CompletableFuture.supplyAsync(work, POOL));
    }
    try {
      return new Fork<>(CompletableFuture.completedFuture(work.get()));
    } catch (RuntimeException | Error e) {
      return new Fork<>(CompletableFuture.failedFuture(e));
    }
  }

  /** Waits for the work (an interrupt is kept for later, the work is not abandoned) and returns its result. */
  public T join() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) throw r;
          if (e.getCause() instanceof Error err) throw err;
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
