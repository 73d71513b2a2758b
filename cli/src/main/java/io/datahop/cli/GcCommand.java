package io.datahop.cli;

import io.datahop.db.Maintenance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop gc URI}: deletes blobs that no retained commit reaches, safely while other
 * processes read and write the store ({@link Maintenance#gc}).
 */
@Command(name = "gc", description = {
    "Delete blobs that no commit reachable from a head reaches, then reclaim their space.",
    "Safe beside live readers and writers in any process: every commit reachable from a head (all history) and",
    "everything it names is kept, so a Db open anywhere keeps working; a commit in flight meanwhile is rebuilt by its writer."})
final class GcCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI") String uri;

  @picocli.CommandLine.Option(names = "--scrub",
      description = "also rewrite files holding only a few deleted blobs, so no byte of them remains (after an excision)")
  boolean scrub;

  @Override
  public Integer call() {
    return DbCommands.withConnection(uri, c -> Maintenance.gc(c, scrub));
  }
}
