package io.datahop.remote;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What a remote call that must fail failed with, for the remote tests. */
final class Failures {
  private Failures() {}

  /** The cause {@code f} completed exceptionally with within {@code seconds}; an assertion error if it did not fail. */
  static Throwable of(CompletableFuture<?> f, int seconds) {
    try {
      f.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("expected the call to fail, got " + e, e);
    }
    throw new AssertionError("expected the call to fail");
  }
}
