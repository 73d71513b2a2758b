package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.TxReport;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop transact URI [FILE|-]}: transacts EDN tx-data (a vector, or {@code {:tx-data
 * …}}) from a file or stdin as one transaction, or in batches of {@code --batch} forms. Files over
 * 1 MB show a progress bar on stderr.
 */
@Command(name = "transact", description = "Transact EDN tx-data from FILE (or - / nothing for stdin).")
final class TransactCommand implements Callable<Integer> {
  private static final long PROGRESS_BYTES = 1 << 20;

  @Parameters(index = "0", paramLabel = "URI", description = "store URI")
  String uri;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "EDN file, or - for stdin")
  String file;

  @Option(names = "--batch", defaultValue = "0", description = "forms per transaction (0: the whole file in one)")
  int batch;

  @Option(names = "--no-progress", description = "never show the progress bar")
  boolean noProgress;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      long t0 = System.nanoTime(); // the figures printed below include reading the file
      long cpu0 = cpuNanos();
      byte[] bytes = read();
      boolean progress = !noProgress && bytes.length >= PROGRESS_BYTES;
      // open the store (read its head and schema) on another thread while the EDN is read
      CompletableFuture<Connection> opening = CompletableFuture.supplyAsync(() -> Databases.connect(uri), START);
      List<?> forms;
      try {
        forms = forms(HalvedRead.read(bytes));
      } catch (RuntimeException e) {
        opening.thenAccept(Connection::close);
        throw e;
      }
      int per = batch <= 0 ? Math.max(1, forms.size()) : batch;
      long datoms = 0;
      int txs = 0;
      TxReport last = null;
      try (Connection c = join(opening);
          ProgressBar bar = progress ? new ProgressBarBuilder().setTaskName("transact").setInitialMax(forms.size())
              .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
              .setUnit(" forms", 1).build() : null) {
        for (int i = 0; i < forms.size() || (i == 0 && forms.isEmpty()); i += per) {
          List<?> chunk = forms.subList(i, Math.min(forms.size(), i + per));
          last = c.transact(chunk);
          datoms += last.txData().size();
          txs++;
          if (bar != null) bar.stepTo(i + chunk.size());
          if (forms.isEmpty()) break;
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = (cpuNanos() - cpu0) / 1e9;
      Map<Keyword, Object> out = new LinkedHashMap<>();
      out.put(Keyword.of("basis-t"), last.dbAfter().basisT());
      out.put(Keyword.of("transactions"), (long) txs);
      out.put(Keyword.of("datoms"), datoms);
      out.put(Keyword.of("elapsed-ms"), Math.round(secs * 1000));
      out.put(Keyword.of("datoms-per-s"), Math.round(datoms / Math.max(secs, 1e-9)));
      if (cpu > 0) {
        // on a shared machine wall time measures the neighbours; CPU time measures us
        out.put(Keyword.of("cpu-ms"), Math.round(cpu * 1000));
        out.put(Keyword.of("datoms-per-cpu-s"), Math.round(datoms / cpu));
      }
      if (txs == 1 && !last.tempids().isEmpty() && last.tempids().size() <= 100) {
        Map<Object, Object> t = new LinkedHashMap<>(last.tempids());
        out.put(Keyword.of("tempids"), t);
      }
      System.out.println(Edn.write(out));
      return 0;
    });
  }

  private static final java.util.concurrent.Executor START = r -> Thread.ofPlatform().daemon().name("datahop-connect").start(r);

  /** The connection, or what opening it threw. */
  private static Connection join(CompletableFuture<Connection> opening) {
    try {
      return opening.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw e;
    }
  }

  /** CPU time of this process (all threads, JIT and GC included), or 0 when unknown. */
  private static long cpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private byte[] read() throws Exception {
    if (file == null || file.equals("-")) {
      InputStream in = System.in;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toByteArray();
    }
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new DatahopException.NotFound("cli/no-file", "no such file: " + file, Map.of("file", file), null);
    }
    return Files.readAllBytes(p);
  }

  private static List<?> forms(Object data) {
    Object d = data;
    if (d instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getKey() == Keyword.of("tx-data")) d = e.getValue();
      }
    }
    if (!(d instanceof List<?> l)) {
      throw new DatahopException.Incorrect("tx/bad-tx-data",
          "a tx file holds a vector of tx forms or {:tx-data [...]}, got " + (d == null ? "nil" : d.getClass().getSimpleName()));
    }
    return l;
  }
}
