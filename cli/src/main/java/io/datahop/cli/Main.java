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
    description = "An embedded, durable, immutable Datalog database whose values hop between JVMs.")
public final class Main implements Runnable {
  /**
   * The subcommands in the order help lists them. Picocli builds a command's model by reflecting
   * over its class (and spinning proxies for its annotations), which costs a one-shot CLI run
   * more than the work of a small command; so a run whose first argument names a subcommand
   * registers that one alone, and any other run (help, no or unknown arguments) registers all.
   */
  private static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(
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
      LogCommand.class,
      CopyCommand.class,
      ExportCommand.class,
      ImportCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (used by tests). */
  public static int run(String... args) {
    return commandLine(args.length == 0 ? null : args[0]).execute(args);
  }

  /** The command line with the subcommand named {@code first}, or with all when none is named so. */
  static CommandLine commandLine(String first) {
    CommandLine cl = new CommandLine(new Main());
    for (Class<?> c : SUBCOMMANDS) {
      String name = c.getAnnotation(Command.class).name();
      if (name.equals(first) && !name.equals("help")) { // help needs the others to describe them
        cl.addSubcommand(c);
        return cl;
      }
    }
    for (Class<?> c : SUBCOMMANDS) cl.addSubcommand(c);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
