package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.edn.Edn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop datoms URI INDEX [COMPONENT…]}: the datoms of one index whose leading
 * components match, one {@code [e :attr v tx added]} per line inside a vector.
 */
@Command(name = "datoms", description = "Print datoms of INDEX (eavt, aevt, avet, vaet) matching leading COMPONENTs (EDN).")
final class DatomsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI") String uri;
  @Parameters(index = "1", paramLabel = "INDEX") String index;
  @Parameters(index = "2..*", arity = "0..4", paramLabel = "COMPONENT") List<String> components = new ArrayList<>();

  @Option(names = "--limit", defaultValue = "-1", description = "print at most this many (default: all)")
  long limit;

  @Option(names = "--history", description = "read the history view (assertions and retractions)")
  boolean history;

  @Override
  public Integer call() {
    return DbCommands.withConnection(uri, c -> {
      IndexType ix;
      try {
        ix = IndexType.valueOf(index.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new DatahopException.Incorrect("cli/bad-index",
            "unknown index '" + index + "'; one of " + Arrays.toString(IndexType.values()).toLowerCase(Locale.ROOT));
      }
      Object[] comps = components.stream().map(Edn::read).toArray();
      Db db = history ? c.db().history() : c.db();
      StringBuilder sb = new StringBuilder("[");
      long n = 0;
      for (Datom d : db.datoms(ix, comps)) {
        if (limit >= 0 && n >= limit) break;
        Object a = db.ident(d.a());
        sb.append(n == 0 ? "" : "\n ").append(Edn.write(List.of(d.e(), a == null ? d.a() : a, d.v(), d.tx(), d.added())));
        n++;
      }
      System.out.println(sb.append(']'));
      return null;
    });
  }
}
