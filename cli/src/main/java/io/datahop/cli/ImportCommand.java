package io.datahop.cli;

import io.datahop.db.Backups;
import io.datahop.edn.Edn;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datahop import FILE STORE}: rebuilds an exported log in a new database ({@link Backups#importLog}). */
@Command(name = "import", description = {
    "Rebuild the history exported to FILE (by `datahop export`; plain or gzip) as a new database at STORE:",
    "the same t values, instants and entity ids. STORE must hold no database. A file refused halfway",
    "(the error names its line and t) leaves no database behind."})
final class ImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the exported log") Path file;

  @Parameters(index = "1", paramLabel = "STORE", description = "store URI of the new database") String uri;

  @Option(names = "--no-progress", description = "never show the progress bar") boolean noProgress;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      Object out;
      try (BarProgress bar = new BarProgress("import", "txs", !noProgress)) {
        out = Backups.importLog(file, uri, bar);
      }
      System.out.println(Edn.write(out));
      return 0;
    });
  }
}
