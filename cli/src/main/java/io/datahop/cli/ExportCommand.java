package io.datahop.cli;

import io.datahop.db.Backups;
import io.datahop.edn.Edn;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datahop export STORE FILE}: writes the transaction log as EDN ({@link Backups#exportLog}). */
@Command(name = "export", description = {
    "Write the transaction log of STORE to FILE as EDN, one map per line (gzip when FILE ends in .gz):",
    "a header, then per transaction {:t :tx :instant :next-ids :data [[e a v tx added] ...]}.",
    "`datahop import FILE STORE2` rebuilds the same history (same t, instants and entity ids)."})
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STORE", description = "store URI") String uri;

  @Parameters(index = "1", paramLabel = "FILE", description = "the file to write (replaced)") Path file;

  @Option(names = "--branch", defaultValue = "main", description = "the branch to export (default main)") String branch;

  @Option(names = "--no-progress", description = "never show the progress bar") boolean noProgress;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      Object out;
      try (BarProgress bar = new BarProgress("export", "txs", !noProgress)) {
        out = Backups.exportLog(uri, branch, file, bar);
      }
      System.out.println(Edn.write(out));
      return 0;
    });
  }
}
