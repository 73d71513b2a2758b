package io.datahop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command line registers only the subcommand a run names, and every one otherwise. */
class MainTest {
  private static final String[] ALL = {
    "help", "demo", "server", "client", "query", "shell", "create", "transact", "pull", "datoms", "stats", "verify", "gc", "log",
    "copy", "export", "import"
  };

  @Test
  void aNamedSubcommandIsRegisteredAlone() {
    assertThat(Main.commandLine("transact").getSubcommands()).containsOnlyKeys("transact");
    assertThat(Main.commandLine("stats").getSubcommands()).containsOnlyKeys("stats");
  }

  @Test
  void helpNoArgumentsAndUnknownWordsSeeEverySubcommand() {
    for (String first : new String[] {null, "help", "--help", "-V", "bogus"}) {
      assertThat(Main.commandLine(first).getSubcommands().keySet()).as(String.valueOf(first)).containsExactly(ALL);
    }
  }

  @Test
  void helpDescribesAnotherSubcommandAndUnknownOnesFail() {
    assertThat(Main.run("help", "transact")).isZero();
    assertThat(Main.run("bogus")).isNotZero();
  }
}
