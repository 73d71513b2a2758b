package io.datahop.cli;

import io.datahop.edn.Edn;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code datahop pull URI PATTERN EID}: the pull API, EID as EDN (id, lookup ref or ident). */
@Command(name = "pull", description = "Pull PATTERN (EDN) of entity EID (an id, [:attr value] or :ident).")
final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI") String uri;
  @Parameters(index = "1", paramLabel = "PATTERN") String pattern;
  @Parameters(index = "2", paramLabel = "EID") String eid;

  @Override
  public Integer call() {
    return DbCommands.withConnection(uri, c -> {
      Object result = c.db().pull(pattern, Edn.read(eid));
      if (result == null) System.out.println("nil");
      return result;
    });
  }
}
