package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.query.QueryDeadline;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import io.netty.util.Timeout;
import java.util.concurrent.TimeUnit;

/**
 * A call to the peer itself: the body runs on the peer's executor with the {@link Remote}
 * context set, but nothing is encoded or sent. Deadline and cancellation behave as for a remote
 * call; an exception comes back as itself, since it never left the process.
 */
final class LocalCall {
  private LocalCall() {}

  @SuppressWarnings("unchecked")
  static <T> CompletableFuture<T> run(Peer peer, SerializableCallable<T> body, Duration deadline) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    Thread[] thread = new Thread[1];
    Runnable task = () -> {
      synchronized (thread) {
        if (future.isDone()) {
          return;
        }
        thread[0] = Thread.currentThread();
      }
      BodyContext previous = Remote.CURRENT.get();
      Remote.CURRENT.set(new BodyContext(peer, peer.id(), peer.id().name(), deadlineNanos));
      Long queryScope = QueryDeadline.enter(deadlineNanos);
      try {
        future.complete(body.call());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      } finally {
        QueryDeadline.exit(queryScope);
        Remote.CURRENT.set(previous);
        synchronized (thread) {
          thread[0] = null;
        }
        Thread.interrupted();
      }
    };
    Timeout timer = peer.deadlines().newTimeout(t -> future.completeExceptionally(new DatahopException.Unavailable(
        "remote/deadline", "the local call " + body.getClass().getName() + " did not finish within " + deadline,
        Map.of("peer", peer.id().toString(), "deadline", deadline.toString()), null)), deadline.toNanos(), TimeUnit.NANOSECONDS);
    future.whenComplete((v, e) -> {
      timer.cancel();
      if (e != null) {
        synchronized (thread) {
          if (thread[0] != null) {
            thread[0].interrupt();
          }
        }
      }
    });
    try {
      peer.config().executor().execute(task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new DatahopException.Unavailable("remote/closed", "peer " + peer.id() + " is shutting down"));
    }
    return (CompletableFuture<T>) future;
  }
}
