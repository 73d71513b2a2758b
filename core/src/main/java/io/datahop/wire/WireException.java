package io.datahop.wire;

import io.datahop.DatahopException;
import java.util.Map;

/**
 * Malformed or refused wire bytes. It wraps a {@link DatahopException.Incorrect} so callers that
 * catch the hierarchy see it, and names the offset and the problem.
 */
public final class WireException extends RuntimeException {
  private final long offset;

  public WireException(String message, long offset, Throwable cause) {
    super(message + (offset >= 0 ? " (at byte " + offset + ")" : ""), cause);
    this.offset = offset;
  }

  public WireException(String message) {
    this(message, -1, null);
  }

  /** Byte offset of the problem, or -1 when unknown. */
  public long offset() {
    return offset;
  }

  /** The same problem as a categorised datahop error. */
  public DatahopException.Incorrect asIncorrect() {
    return new DatahopException.Incorrect("wire/malformed", getMessage(), Map.of("offset", offset), this);
  }
}
