package io.datahop.remote;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One outgoing call from the moment it is made until it is answered, times out or is cancelled. */
final class PendingCall {
  final long id;
  final PeerId target;
  final Captured captured;
  final long deadlineNanos;
  final CompletableFuture<Object> future = new CompletableFuture<>();
  /** The link the call was sent on, once sent: a cancel goes there. */
  volatile Link sentOn;

  PendingCall(long id, PeerId target, Captured captured, long deadlineNanos) {
    this.id = id;
    this.target = target;
    this.captured = captured;
    this.deadlineNanos = deadlineNanos;
  }

  Message.Call message() {
    long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    return new Message.Call(id, Math.max(1, remaining), captured.lambda(), captured.args());
  }

  String describe() {
    return captured.lambda().describe() + " on " + target;
  }
}
