package io.datahop.remote;

import io.datahop.DatahopException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Hops from inside a running body, with no plumbing: the peer the body runs on is known, so
 * {@code Remote.on(other, () -> …)} calls on from there (A → B → C → A). A nested call gets the
 * peer's default deadline, shortened to what is left of the enclosing call's deadline.
 *
 * <pre>{@code
 * peer.on(server, () -> {
 *   String here = Remote.self().name();              // "server"
 *   return Remote.on(client, () -> here + " → " + Remote.self().name()).join();
 * });
 * }</pre>
 */
public final class Remote {
  static final ThreadLocal<BodyContext> CURRENT = new ThreadLocal<>();

  private Remote() {}

  /** Runs {@code body} on {@code target} from the peer the current body runs on. */
  public static <T> CompletableFuture<T> on(PeerId target, SerializableCallable<T> body) {
    BodyContext c = context();
    // at least 1 ms: an enclosing call out of time makes the nested one fail as remote/deadline
    Duration left = Duration.ofNanos(Math.max(1_000_000, c.deadlineNanos() - System.nanoTime()));
    Duration deadline = c.peer().config().defaultDeadline();
    return c.peer().on(target, left.compareTo(deadline) < 0 ? left : deadline, body);
  }

  /** Runs {@code body} on {@code target} with its own deadline. */
  public static <T> CompletableFuture<T> on(PeerId target, Duration deadline, SerializableCallable<T> body) {
    return context().peer().on(target, deadline, body);
  }

  /** The peer the current body runs on. */
  public static PeerId self() {
    return context().peer().id();
  }

  /** The peer object the current body runs on. */
  public static Peer peer() {
    return context().peer();
  }

  /** The peer that called the current body. */
  public static PeerId caller() {
    return context().caller();
  }

  /**
   * The authenticated name of the calling peer, when this peer requires authentication; empty
   * otherwise. A local call's principal is this peer's own name.
   */
  public static Optional<String> principal() {
    return Optional.ofNullable(context().principal());
  }

  /** True while a body runs on the current thread. */
  public static boolean inBody() {
    return CURRENT.get() != null;
  }

  private static BodyContext context() {
    BodyContext c = CURRENT.get();
    if (c == null) {
      throw new DatahopException.Incorrect("remote/no-current-peer",
          "Remote.on/self/principal work only inside a remote body; outside one, call peer.on(target, body)");
    }
    return c;
  }
}
