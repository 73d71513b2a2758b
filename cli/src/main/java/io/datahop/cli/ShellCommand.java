package io.datahop.cli;

import io.datahop.edn.Edn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code datahop shell [URI]}: an interactive Datalog shell (JLine: history, multi-line input
 * until brackets balance). When stdin is not a terminal it runs the commands it reads, printing
 * one EDN result per command and carrying on after errors.
 */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    description = {"Interactive Datalog shell; runs a script from stdin when it is not a terminal.", ShellSession.HELP})
final class ShellCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "store URI to connect first")
  String uri;

  @Option(names = "--batch", description = "read commands from stdin even on a terminal")
  boolean batch;

  @Override
  public Integer call() throws Exception {
    try (ShellSession session = new ShellSession()) {
      if (uri != null) {
        print(session.execute("connect " + uri), System.out);
      }
      if (batch || !interactive()) {
        runBatch(session, new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out);
      } else {
        runInteractive(session);
      }
    }
    return 0;
  }

  private static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      // JDK 22+ returns a Console even when redirected; isTerminal tells the truth there
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Reads commands (each may span lines until its brackets balance) and prints each result. */
  static void runBatch(ShellSession session, Reader in, PrintStream out) throws Exception {
    BufferedReader r = new BufferedReader(in);
    StringBuilder pending = new StringBuilder();
    String line;
    while ((line = r.readLine()) != null) {
      if (pending.isEmpty() && (line.isBlank() || line.strip().startsWith(";"))) {
        continue;
      }
      pending.append(line).append('\n');
      if (!ShellSession.complete(pending.toString())) {
        continue;
      }
      String cmd = pending.toString().strip();
      pending.setLength(0);
      if (cmd.equals("exit") || cmd.equals("quit")) {
        return;
      }
      print(session.execute(cmd), out);
    }
    if (!pending.isEmpty()) {
      print(session.execute(pending.toString()), out);
    }
  }

  private static void print(Object result, PrintStream out) {
    if (result != ShellSession.NOTHING) {
      out.println(Edn.write(result));
      out.flush();
    }
  }

  private static void runInteractive(ShellSession session) throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      DefaultParser parser =
          new DefaultParser() {
            @Override
            public org.jline.reader.ParsedLine parse(String line, int cursor, ParseContext ctx) {
              if (ctx == ParseContext.ACCEPT_LINE && !ShellSession.complete(line)) {
                throw new EOFError(-1, -1, "unbalanced brackets", "more");
              }
              return super.parse(line, cursor, ctx);
            }
          };
      parser.setEscapeChars(new char[0]);
      parser.setQuoteChars(new char[0]);
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("datahop")
              .parser(parser)
              .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".datahop_history"))
              .variable(LineReader.SECONDARY_PROMPT_PATTERN, "....> ")
              .build();
      terminal.writer().println("datahop shell — " + ShellSession.HELP);
      while (true) {
        String line;
        try {
          line = reader.readLine("datahop> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          return;
        }
        String cmd = line.strip();
        if (cmd.equals("exit") || cmd.equals("quit")) {
          return;
        }
        Object result = session.execute(cmd);
        if (result != ShellSession.NOTHING) {
          // on a terminal, text (help, explain) reads better unquoted
          terminal.writer().println(result instanceof String t ? t : Edn.writePretty(result));
          terminal.flush();
        }
      }
    }
  }
}
