package io.datahop.query.exec;

/** A clause that cannot run with the variables bound so far; becomes a query error if final. */
final class PlanError extends RuntimeException {
  final String code;
  final String clause;

  PlanError(String code, String message, String clause) {
    super(message, null, false, false);
    this.code = code;
    this.clause = clause;
  }

  io.datahop.DatahopException.Incorrect toError() {
    return io.datahop.query.QueryErrors.incorrect(code, getMessage(), clause);
  }
}
