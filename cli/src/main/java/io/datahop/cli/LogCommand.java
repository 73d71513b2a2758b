package io.datahop.cli;

import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.LogEntry;
import io.datahop.db.TxReport;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop log STORE [--from T] [--to T] [--follow]}: the transaction log, one EDN map per
 * transaction and line: {@code {:t …, :tx …, :instant …, :data [[e a v tx added] …]}}.
 */
@Command(name = "log", description = {
    "Print the transaction log: one EDN map per transaction, {:t :tx :instant :data [[e a v tx added] ...]},",
    "attributes as idents. --from is inclusive and --to exclusive (as Datomic's tx-range); --follow keeps",
    "printing new transactions (of any process) as they commit, until interrupted."})
final class LogCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STORE") String uri;

  @Option(names = "--from", paramLabel = "T", description = "first t to print (default: the first)")
  Long from;

  @Option(names = "--to", paramLabel = "T", description = "print up to this t, exclusive (default: the newest)")
  Long to;

  @Option(names = "--follow", description = "after the log, print each new transaction as it commits")
  boolean follow;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      try (Connection c = Databases.connect(uri)) {
        BlockingQueue<TxReport> fresh = new LinkedBlockingQueue<>();
        AutoCloseable listening = follow && to == null ? c.listen(fresh::add) : null;
        // the log after the listener: every t up to its basis is printed from it, later ones by the listener
        io.datahop.db.Log log = c.log();
        long last = 0;
        for (LogEntry e : log.txRange(from, to)) {
          print(c.db(), e);
          last = e.t();
        }
        System.out.flush();
        if (listening == null) return 0;
        while (true) {
          TxReport r = fresh.take();
          long t = r.dbAfter().basisT();
          if (t <= last || (from != null && t < from)) continue;
          print(r.dbAfter(), new LogEntry(t, r.tempids().get(":db/current-tx"), instant(r), r.txData()));
          System.out.flush();
          last = t;
        }
      }
    });
  }

  private static java.time.Instant instant(TxReport r) {
    long tx = r.tempids().get(":db/current-tx");
    for (Datom d : r.txData()) {
      if (d.e() == tx && d.v() instanceof java.time.Instant i) return i;
    }
    return null;
  }

  private static void print(Db db, LogEntry e) {
    List<Object> data = new ArrayList<>(e.data().size());
    for (Datom d : e.data()) {
      Keyword a = db.ident(d.a());
      data.add(List.of(d.e(), a == null ? (Object) d.a() : a, d.v(), d.tx(), d.added()));
    }
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("t"), e.t());
    m.put(Keyword.of("tx"), e.tx());
    m.put(Keyword.of("instant"), e.instant());
    m.put(Keyword.of("data"), data);
    System.out.println(Edn.write(m));
  }
}
