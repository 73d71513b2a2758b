package io.datahop.cli;

import io.datahop.db.Maintenance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code datahop stats URI}: datom count, per index depth, node count and bytes. */
@Command(name = "stats", description = "Print datom count and, per index, depth, node count and bytes.")
final class StatsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI") String uri;

  @Override
  public Integer call() {
    return DbCommands.withConnection(uri, Maintenance::stats);
  }
}
