package io.datahop.query.exec;

import io.datahop.DatahopException;
import io.datahop.query.QueryErrors;

/** Invokes a query function, turning its failures into errors that name the clause. */
final class Call {
  private Call() {}

  static Object invoke(Fn fn, Object[] args, String clause) {
    try {
      return Values.normalize(fn.body().apply(args));
    } catch (DatahopException e) {
      throw e;
    } catch (BigBounds.TooLarge e) {
      throw QueryErrors.incorrect(e.code, e.getMessage(), clause, e.context, null);
    } catch (RuntimeException e) {
      throw QueryErrors.incorrect(
          "query/function-failed",
          "function " + fn.name() + " failed: " + e,
          clause,
          e);
    }
  }
}
