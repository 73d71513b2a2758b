package io.datahop.cli;

import io.datahop.db.Maintenance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code datahop gc URI}: deletes blobs that no retained commit reaches. */
@Command(name = "gc", description = "Delete blobs no commit reachable from a head reaches (run with no writer active).")
final class GcCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI") String uri;

  @Override
  public Integer call() {
    return DbCommands.withConnection(uri, Maintenance::gc);
  }
}
