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

  @picocli.CommandLine.Option(names = "--keep-since", paramLabel = "INSTANT",
      description = "give up time travel before INSTANT (ISO-8601, e.g. 2026-01-01T00:00:00Z) and reclaim that history")
  String keepSince;

  @Override
  public Integer call() {
    return DbCommands.withConnection(uri, c -> Maintenance.gc(c, scrub, keepSince == null ? null : instant(keepSince)));
  }

  private static java.time.Instant instant(String text) {
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new io.datahop.DatahopException.Incorrect("cli/bad-instant",
          "--keep-since needs an ISO-8601 instant such as 2026-01-01T00:00:00Z, got '" + text + "'",
          java.util.Map.of("keep-since", text), e);
    }
  }
}
