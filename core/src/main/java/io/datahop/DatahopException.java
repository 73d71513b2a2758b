package io.datahop;

import java.util.Map;

/**
 * The one unchecked error hierarchy of datahop. Every failure a user can meet is one of six
 * categories, each with a stable {@link #code()} and a {@link #context()} map naming what was wrong
 * and where, so a remote peer can rebuild the same category from the code alone.
 *
 * <table>
 *   <caption>categories</caption>
 *   <tr><th>category</th><th>meaning</th><th>retry?</th></tr>
 *   <tr><td>{@link Incorrect}</td><td>the caller's input is wrong (EDN, tx-data, query, wire bytes)</td><td>no</td></tr>
 *   <tr><td>{@link NotFound}</td><td>a named thing does not exist (store, blob, entity, peer)</td><td>no</td></tr>
 *   <tr><td>{@link Conflict}</td><td>the state changed underneath (unique, cas, head moved)</td><td>maybe</td></tr>
 *   <tr><td>{@link Unavailable}</td><td>a resource is temporarily unreachable (peer down, timeout)</td><td>yes</td></tr>
 *   <tr><td>{@link Fault}</td><td>something is broken (corrupt blob, bug, I/O failure)</td><td>no</td></tr>
 *   <tr><td>{@link Unsupported}</td><td>a valid request this build does not do</td><td>no</td></tr>
 * </table>
 */
public abstract sealed class DatahopException extends RuntimeException {
  private final String code;
  private final Map<String, Object> context;

  DatahopException(String code, String message, Map<String, Object> context, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.context = context == null ? Map.of() : Map.copyOf(context);
  }

  /** A stable, namespaced code such as {@code "tx/unique-conflict"}; never reworded. */
  public String code() {
    return code;
  }

  /** What the error is about (attribute, value, address, clause …); keys are stable. */
  public Map<String, Object> context() {
    return context;
  }

  /** The category name, as written on the wire. */
  public abstract String category();

  /** Rebuilds an exception of the named category; used when an error crosses the wire. */
  public static DatahopException of(
      String category, String code, String message, Map<String, Object> context, Throwable cause) {
    return switch (category) {
      case "incorrect" -> new Incorrect(code, message, context, cause);
      case "not-found" -> new NotFound(code, message, context, cause);
      case "conflict" -> new Conflict(code, message, context, cause);
      case "unavailable" -> new Unavailable(code, message, context, cause);
      case "unsupported" -> new Unsupported(code, message, context, cause);
      default -> new Fault(code, message, context, cause);
    };
  }

  /** The caller's input is wrong; retrying the same input fails the same way. */
  public static final class Incorrect extends DatahopException {
    public Incorrect(String code, String message, Map<String, Object> context, Throwable cause) {
      super(code, message, context, cause);
    }

    public Incorrect(String code, String message) {
      this(code, message, null, null);
    }

    @Override
    public String category() {
      return "incorrect";
    }
  }

  /** A named thing (store, blob, entity, peer, function) does not exist. */
  public static final class NotFound extends DatahopException {
    public NotFound(String code, String message, Map<String, Object> context, Throwable cause) {
      super(code, message, context, cause);
    }

    public NotFound(String code, String message) {
      this(code, message, null, null);
    }

    @Override
    public String category() {
      return "not-found";
    }
  }

  /** The state changed underneath the caller (unique value taken, cas failed, head moved). */
  public static final class Conflict extends DatahopException {
    public Conflict(String code, String message, Map<String, Object> context, Throwable cause) {
      super(code, message, context, cause);
    }

    public Conflict(String code, String message) {
      this(code, message, null, null);
    }

    @Override
    public String category() {
      return "conflict";
    }
  }

  /** A resource is unreachable for now (peer down, deadline passed); a retry may succeed. */
  public static final class Unavailable extends DatahopException {
    public Unavailable(String code, String message, Map<String, Object> context, Throwable cause) {
      super(code, message, context, cause);
    }

    public Unavailable(String code, String message) {
      this(code, message, null, null);
    }

    @Override
    public String category() {
      return "unavailable";
    }
  }

  /** Something is broken: a corrupt blob, an I/O failure, a bug. */
  public static final class Fault extends DatahopException {
    public Fault(String code, String message, Map<String, Object> context, Throwable cause) {
      super(code, message, context, cause);
    }

    public Fault(String code, String message) {
      this(code, message, null, null);
    }

    @Override
    public String category() {
      return "fault";
    }
  }

  /** A well-formed request that this build does not support. */
  public static final class Unsupported extends DatahopException {
    public Unsupported(String code, String message, Map<String, Object> context, Throwable cause) {
      super(code, message, context, cause);
    }

    public Unsupported(String code, String message) {
      this(code, message, null, null);
    }

    @Override
    public String category() {
      return "unsupported";
    }
  }
}
