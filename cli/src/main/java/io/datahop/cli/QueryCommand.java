package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.edn.Edn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code datahop query URI QUERY [ARG-EDN…]}: runs one Datalog query and prints the result. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a Datalog query on the current database of a store and prints the result as EDN.",
      "The database is $; each ARG is EDN for the next :in binding."
    })
final class QueryCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "store URI (mem:…, file:…, jdbc:…)")
  String uri;

  @Parameters(index = "1", description = "the query as EDN, e.g. '[:find ?e :where [?e :name]]'")
  String query;

  @Parameters(index = "2..*", arity = "0..*", description = "inputs after $, as EDN")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    if (!Databases.exists(uri)) {
      System.err.println(Edn.write(ShellSession.error("no database at " + uri)));
      return 1;
    }
    try (Connection conn = Databases.connect(uri)) {
      List<Object> inputs = new ArrayList<>();
      for (String a : args) {
        inputs.add(Edn.read(a));
      }
      Object result = conn.db().q(query, inputs.toArray());
      System.out.println(Edn.writePretty(ShellSession.printable(result)));
      return 0;
    } catch (DatahopException e) {
      System.err.println(Edn.write(ShellSession.error(e)));
      return 1;
    }
  }
}
