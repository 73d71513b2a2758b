package io.datahop.cli;

import io.datahop.db.Backups;
import io.datahop.edn.Edn;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datahop copy SRC DST}: copies a store with all its history ({@link Backups#copy}). */
@Command(name = "copy", description = {
    "Copy the store SRC, with all its history, into DST (any backends; DST is created when absent).",
    "Incremental: only blobs DST lacks are copied. DST's heads move only once everything they reach is there,",
    "so a copy killed at any point leaves DST as it was or complete, and running it again resumes. Verified at",
    "the end. A DST holding another database (its heads not in SRC's history) is refused.",
    "The copy keeps the commit addresses but is another store, with its own store id."})
final class CopyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "store URI to copy from") String from;

  @Parameters(index = "1", paramLabel = "DST", description = "store URI to copy into") String to;

  @Option(names = "--no-progress", description = "never show the progress bar") boolean noProgress;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      Object out;
      try (BarProgress bar = new BarProgress("copy", "commits", !noProgress)) {
        out = Backups.copy(from, to, bar);
      }
      System.out.println(Edn.write(out));
      return 0;
    });
  }
}
