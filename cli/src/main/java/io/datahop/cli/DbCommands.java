package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Edn;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** What the database subcommands share: connecting, printing EDN, reporting errors. */
final class DbCommands {
  private DbCommands() {}

  /** A body that uses a connection and returns what to print. */
  interface Body {
    Object run(Connection conn) throws Exception;
  }

  /** Connects to {@code uri}, runs {@code body}, prints its result as EDN; exit code 0 or 1. */
  static int withConnection(String uri, Body body) {
    return guarded(() -> {
      try (Connection c = Databases.connect(uri)) {
        Object out = body.run(c);
        if (out != null) System.out.println(Edn.write(out));
      }
      return 0;
    });
  }

  /** Runs {@code body}; a datahop error is printed to stderr as EDN and exits 1. */
  static int guarded(Callable<Integer> body) {
    try {
      return body.call();
    } catch (DatahopException e) {
      printError(System.err, e);
      return 1;
    } catch (Exception e) {
      System.err.println(Edn.write(ErrorEdn.fault(e)));
      return 1;
    }
  }

  static void printError(PrintStream out, DatahopException e) {
    out.println(Edn.write(ErrorEdn.of(e)));
  }
}
