package io.datahop.wire;

/**
 * An exception thrown in another process whose class is not a datahop error: it keeps the
 * remote class name, message and stack (as this exception's stack trace), and its cause chain
 * is made of further RemoteExceptions or datahop errors. No remote class is ever loaded.
 */
public final class RemoteException extends RuntimeException {
  private final String remoteClass;
  private final String remoteMessage;

  public RemoteException(String remoteClass, String remoteMessage, StackTraceElement[] remoteStack, Throwable cause) {
    super(remoteMessage == null ? remoteClass : remoteClass + ": " + remoteMessage, cause);
    this.remoteClass = remoteClass;
    this.remoteMessage = remoteMessage;
    setStackTrace(remoteStack);
  }

  /** The fully qualified class name of the original exception, e.g. {@code java.lang.IllegalStateException}. */
  public String remoteClass() {
    return remoteClass;
  }

  /** The original exception's message, or {@code null}. */
  public String remoteMessage() {
    return remoteMessage;
  }
}
