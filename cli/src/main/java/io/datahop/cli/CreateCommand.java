package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Databases;
import io.datahop.db.DbConfig;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datahop create URI [--keep-history] [--schema-flexibility read|write]}. */
@Command(name = "create", description = "Create a database at a store URI (mem:NAME, file:/path, jdbc:…).")
final class CreateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI", description = "store URI")
  String uri;

  @Option(names = "--keep-history", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "keep retracted datoms for asOf/since/history (default: ${DEFAULT-VALUE})")
  boolean keepHistory;

  @Option(names = "--schema-flexibility", defaultValue = "write", paramLabel = "read|write",
      description = "write: attributes must be declared (default); read: any attribute is accepted")
  String flexibility;

  @Option(names = "--branch", defaultValue = "main", description = "branch (head) name")
  String branch;

  @Override
  public Integer call() {
    return DbCommands.guarded(() -> {
      if (!flexibility.equals("read") && !flexibility.equals("write")) {
        throw new DatahopException.Incorrect("cli/bad-option",
            "--schema-flexibility is read or write, got '" + flexibility + "'");
      }
      DbConfig config = DbConfig.defaults().withKeepHistory(keepHistory)
          .withSchemaOnRead(flexibility.equals("read")).withBranch(branch);
      Databases.create(uri, config);
      Map<Keyword, Object> out = new LinkedHashMap<>();
      out.put(Keyword.of("created"), uri);
      out.put(Keyword.of("branch"), branch);
      out.put(Keyword.of("keep-history"), keepHistory);
      out.put(Keyword.of("schema-flexibility"), Keyword.of(flexibility));
      System.out.println(Edn.write(out));
      return 0;
    });
  }
}
