package io.datahop.bench;

import java.util.Arrays;

/**
 * Entry point of {@code ./datahop bench NAME …}: each benchmark is a class of its own,
 * selected by its name.
 */
public final class BenchMain {
  private BenchMain() {}

  private static final String NAMES = "import, queries, hop, wire, cold, fetch, edn, flush-encode";

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: ./datahop bench <name> [options]   (names: " + NAMES + ")");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "hop" -> HopBench.main(rest);
      case "wire" -> WireBench.main(rest);
      case "cold" -> ColdBench.main(rest);
      case "queries" -> QueryBench.main(rest);
      case "fetch" -> FetchBench.main(rest);
      case "import" -> ImportBench.main(rest);
      case "edn" -> EdnParseBench.main(rest);
      case "flush-encode" -> io.datahop.db.FlushEncodeBench.main(rest);
      default -> {
        System.err.println("datahop bench: unknown benchmark '" + args[0] + "' (names: " + NAMES + ")");
        System.exit(2);
      }
    }
  }
}
