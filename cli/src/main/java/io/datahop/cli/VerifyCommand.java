package io.datahop.cli;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Maintenance;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code datahop verify URI}: reads every reachable commit and node; exit 2 on damage. */
@Command(name = "verify", description = "Read every reachable commit and index node, checking hashes and order; exit 2 on damage.")
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI") String uri;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      try (Connection c = Databases.connect(uri)) {
        Map<Keyword, Object> report = Maintenance.verify(c);
        System.out.println(Edn.write(report));
        return Boolean.TRUE.equals(report.get(Keyword.of("ok"))) ? 0 : 2;
      }
    });
  }
}
