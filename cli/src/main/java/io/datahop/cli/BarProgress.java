package io.datahop.cli;

import io.datahop.db.Backups;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for the long runs of {@link Backups} (copy, export, import), shown
 * only once the run turns out to have at least {@link #MIN_STEPS} steps: short runs print nothing
 * but their result.
 */
final class BarProgress implements Backups.Progress, AutoCloseable {
  static final long MIN_STEPS = 200;

  private final String task;
  private final String unit;
  private final boolean enabled;
  private ProgressBar bar;

  BarProgress(String task, String unit, boolean enabled) {
    this.task = task;
    this.unit = unit;
    this.enabled = enabled;
  }

  @Override
  public void update(long done, long total) {
    if (bar == null) {
      if (!enabled || total < MIN_STEPS) return;
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" " + unit, 1).build();
    }
    bar.maxHint(total);
    bar.stepTo(done);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
