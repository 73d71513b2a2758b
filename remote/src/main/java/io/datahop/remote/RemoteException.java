package io.datahop.remote;

import io.datahop.DatahopException;
import java.util.Map;
import java.util.Optional;

/**
 * A body threw on another peer. It carries the remote exception's class name and message, its
 * stack trace as this exception's stack trace, and the remote cause chain as a chain of
 * {@code RemoteException}s. When the remote exception was a {@link DatahopException}, its category,
 * code and context survive: {@link #datahopError()} rebuilds the same category here.
 */
public final class RemoteException extends RuntimeException {
  private final PeerId peer;
  private final String remoteClass;
  private final String remoteMessage;
  private final String category;
  private final String code;
  private final Map<String, Object> context;

  RemoteException(
      PeerId peer, String remoteClass, String remoteMessage, String category, String code, Map<String, Object> context,
      RemoteException cause) {
    super(remoteClass + (remoteMessage == null ? "" : ": " + remoteMessage) + " [on peer " + peer + "]", cause);
    this.peer = peer;
    this.remoteClass = remoteClass;
    this.remoteMessage = remoteMessage;
    this.category = category;
    this.code = code;
    this.context = context == null ? Map.of() : context;
  }

  /** The peer the body ran on. */
  public PeerId peer() {
    return peer;
  }

  /** The remote exception's class name, e.g. {@code java.lang.IllegalStateException}. */
  public String remoteClass() {
    return remoteClass;
  }

  /** The remote exception's own message, or {@code null}. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The datahop category ({@code "not-found"} …) when the remote exception was a DatahopException. */
  public Optional<String> category() {
    return Optional.ofNullable(category);
  }

  /** The datahop error code when the remote exception was a DatahopException. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /** The remote DatahopException's context (empty otherwise). */
  public Map<String, Object> context() {
    return context;
  }

  /** The remote DatahopException rebuilt in its category, with this exception as its cause. */
  public Optional<DatahopException> datahopError() {
    return category == null
        ? Optional.empty()
        : Optional.of(DatahopException.of(category, code, remoteMessage, context, this));
  }

  @Override
  public synchronized RemoteException getCause() {
    return (RemoteException) super.getCause();
  }
}
