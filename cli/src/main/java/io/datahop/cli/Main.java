package io.datahop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code datahop} command. Each subcommand is a small class of its own; this one only wires
 * them together and maps errors to exit codes.
 */
@Command(
    name = "datahop",
    mixinStandardHelpOptions = true,
    version = "datahop 0.1.0",
    description = "An embedded, durable, immutable Datalog database whose values hop between JVMs.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      ServerCommand.class,
      ClientCommand.class,
      QueryCommand.class,
      ShellCommand.class,
      CreateCommand.class,
      TransactCommand.class,
      PullCommand.class,
      DatomsCommand.class,
      StatsCommand.class,
      VerifyCommand.class,
      GcCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (used by tests). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
