package io.datahop.remote;

import io.datahop.DatahopException;
import java.util.Map;
import java.util.Optional;

/**
 * A body threw on another peer. The exception it threw is this exception's {@linkplain #getCause()
 * cause}, rebuilt by the codec with the remote stack trace and cause chain: a
 * {@link DatahopException} comes back in the same category with the same code and context, any
 * other throwable as an {@link io.datahop.wire.RemoteException} that names the remote class. No
 * class named by the other peer is ever loaded.
 */
public final class RemoteException extends RuntimeException {
  private final PeerId peer;

  RemoteException(PeerId peer, Throwable remote) {
    super(describe(remote) + " [on peer " + peer + "]", remote, false, false);
    this.peer = peer;
  }

  private static String describe(Throwable t) {
    String message = remoteMessage(t);
    return remoteClass(t) + (message == null ? "" : ": " + message);
  }

  private static String remoteClass(Throwable t) {
    return t instanceof io.datahop.wire.RemoteException r ? r.remoteClass() : t.getClass().getName();
  }

  private static String remoteMessage(Throwable t) {
    return t instanceof io.datahop.wire.RemoteException r ? r.remoteMessage() : t.getMessage();
  }

  /** The peer the body ran on. */
  public PeerId peer() {
    return peer;
  }

  /** The class name of what the body threw, e.g. {@code java.lang.IllegalStateException}. */
  public String remoteClass() {
    return remoteClass(getCause());
  }

  /** The message of what the body threw, or {@code null}. */
  public String remoteMessage() {
    return remoteMessage(getCause());
  }

  /** What the body threw, when it was a datahop error: same category, code and context. */
  public Optional<DatahopException> datahopError() {
    return getCause() instanceof DatahopException d ? Optional.of(d) : Optional.empty();
  }

  /** The datahop error code of what the body threw, if it was a datahop error. */
  public Optional<String> code() {
    return datahopError().map(DatahopException::code);
  }

  /** The datahop error context of what the body threw (empty if it was not a datahop error). */
  public Map<String, Object> context() {
    return datahopError().map(DatahopException::context).orElse(Map.of());
  }
}
