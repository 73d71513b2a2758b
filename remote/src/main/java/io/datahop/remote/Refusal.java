package io.datahop.remote;

import io.datahop.DatahopException;

/**
 * Why a receiving peer did not run a call. Thrown inside the receiver and sent back as a
 * {@link Message.Refused}; the caller rebuilds the same {@link DatahopException} category.
 */
final class Refusal extends RuntimeException {
  private final DatahopException error;

  Refusal(DatahopException error) {
    super(error.getMessage(), null, false, false);
    this.error = error;
  }

  DatahopException error() {
    return error;
  }

  static Refusal notAllowed(String message) {
    return new Refusal(new DatahopException.Incorrect("remote/lambda-not-allowed", message));
  }

  static Refusal codeMismatch(String message) {
    return new Refusal(new DatahopException.Unsupported("remote/code-mismatch", message));
  }
}
