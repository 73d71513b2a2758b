package io.datahop.cli;

import io.datahop.DatahopException;
import io.datahop.db.Connection;
import io.datahop.db.Databases;
import io.datahop.db.Db;
import io.datahop.db.TxReport;
import io.datahop.edn.Edn;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state and commands of {@code datahop shell}, apart from terminal I/O so scripts and tests
 * drive it directly. Each command yields one EDN value: its result or {@code {:error {…}}} (see {@link ErrorEdn}); an
 * error never ends the session.
 *
 * <table>
 *   <caption>commands</caption>
 *   <tr><td>{@code connect URI}</td><td>opens (creating if needed) a store</td></tr>
 *   <tr><td>{@code transact EDN}</td><td>transacts tx-data</td></tr>
 *   <tr><td>{@code query EDN [ARG…]}</td><td>runs a query on the selected Db</td></tr>
 *   <tr><td>{@code explain EDN [ARG…]}</td><td>shows the plan the query would run</td></tr>
 *   <tr><td>{@code pull PATTERN EID}</td><td>pulls one entity</td></tr>
 *   <tr><td>{@code as-of T}, {@code since T}, {@code history}</td><td>narrow the Db later commands use;
 *       views compose until {@code current}: {@code as-of 5} then {@code history} is the history
 *       of the as-of view, as {@code db.asOf(5).history()} in Java</td></tr>
 *   <tr><td>{@code current}</td><td>back to the current Db, every view dropped</td></tr>
 *   <tr><td>{@code help}</td><td>lists the commands</td></tr>
 * </table>
 */
final class ShellSession implements AutoCloseable {
  static final String HELP =
      "commands: connect URI | transact EDN | query EDN [ARG...] | explain EDN [ARG...] |"
          + " pull PATTERN EID |"
          + " as-of T | since T | history | current | help | exit";

  /** What {@link #execute} returns for blank input: nothing to print. */
  static final Object NOTHING = new Object();

  private Connection conn;
  /** The views selected since the last {@code current}, applied in order: {what, arg or null}. */
  private final List<Object[]> views = new ArrayList<>();

  /** Runs one command (possibly spanning several lines) and returns its EDN result (nil too). */
  Object execute(String input) {
    String text = input.strip();
    if (text.isEmpty()) {
      return NOTHING;
    }
    int sp = firstSpace(text);
    String cmd = sp < 0 ? text : text.substring(0, sp);
    String rest = sp < 0 ? "" : text.substring(sp + 1).strip();
    try {
      return switch (cmd) {
        case "help" -> HELP;
        case "connect" -> connect(rest);
        case "transact" -> transact(rest);
        case "query", "q" -> query(rest);
        case "explain" -> explain(rest);
        case "pull" -> pull(rest);
        case "as-of", "since" -> select(cmd, rest);
        case "history", "current" -> select(cmd, "");
        default -> error("unknown command '" + cmd + "'; " + HELP);
      };
    } catch (DatahopException e) {
      return error(e);
    } catch (RuntimeException e) {
      return ErrorEdn.fault(e);
    }
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private Object connect(String uri) {
    if (uri.isEmpty()) {
      return error("connect needs a store URI");
    }
    if (!Databases.exists(uri)) {
      Databases.create(uri);
    }
    Connection next = Databases.connect(uri);
    close();
    conn = next;
    views.clear();
    return Map.of(Keyword.of("connected"), uri, Keyword.of("basis-t"), conn.db().basisT());
  }

  private Connection conn() {
    if (conn == null) {
      throw new DatahopException.Incorrect("shell/not-connected", "not connected: use connect URI");
    }
    return conn;
  }

  /** The Db later commands read: the current one through every view selected, in order. */
  Db db() {
    Db db = conn().db();
    for (Object[] v : views) {
      db = switch ((String) v[0]) {
        case "as-of" -> db.asOf(v[1]);
        case "since" -> db.since(v[1]);
        default -> db.history();
      };
    }
    return db;
  }

  private Object transact(String edn) {
    if (edn.isEmpty()) {
      return error("transact needs tx-data");
    }
    Object data = Edn.read(edn);
    if (data instanceof Map<?, ?> m && m.containsKey(Keyword.of("tx-data"))) {
      data = m.get(Keyword.of("tx-data"));
    }
    TxReport r = conn().transact(data);
    Map<Object, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of("basis-t"), r.dbAfter().basisT());
    out.put(Keyword.of("datoms"), (long) r.txData().size());
    out.put(Keyword.of("tempids"), r.tempids());
    return out;
  }

  private Object query(String rest) {
    List<Object> forms = Edn.readAll(rest);
    if (forms.isEmpty()) {
      return error("query needs a query");
    }
    Object q = forms.get(0);
    Object[] args = forms.subList(1, forms.size()).toArray();
    return printable(db().q(q, args));
  }

  private Object explain(String rest) {
    List<Object> forms = Edn.readAll(rest);
    if (forms.isEmpty()) {
      return error("explain needs a query");
    }
    List<Object> in = new ArrayList<>();
    in.add(db());
    in.addAll(forms.subList(1, forms.size()));
    return io.datahop.query.Datalog.explain(forms.get(0), in.toArray());
  }

  private Object pull(String rest) {
    List<Object> forms = Edn.readAll(rest);
    if (forms.size() != 2) {
      return error("pull takes PATTERN EID");
    }
    return db().pull(forms.get(0), forms.get(1));
  }

  private Object select(String what, String arg) {
    conn();
    Object viewArg = null;
    if (what.equals("as-of") || what.equals("since")) {
      List<Object> forms = Edn.readAll(arg);
      if (forms.size() != 1) {
        return error(what + " takes one t, tx id or #inst");
      }
      viewArg = forms.get(0);
    }
    if (what.equals("current")) {
      views.clear();
    } else {
      views.add(new Object[] {what, viewArg});
      try {
        db(); // fail now, not at the next query, if the argument is bad; the views stay as they were
      } catch (RuntimeException e) {
        views.remove(views.size() - 1);
        throw e;
      }
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of("db"), Keyword.of(what));
    if (viewArg != null) {
      out.put(Keyword.of("t"), viewArg);
    }
    List<Object> chain = new ArrayList<>();
    for (Object[] v : views) {
      chain.add(v[1] == null ? List.of(Keyword.of((String) v[0])) : List.of(Keyword.of((String) v[0]), v[1]));
    }
    out.put(Keyword.of("views"), chain);
    return out;
  }

  /** Sets print as EDN sets, anything else as it is. */
  static Object printable(Object result) {
    if (result instanceof Set<?> || !(result instanceof Collection<?>)) {
      return result;
    }
    return new ArrayList<>((Collection<?>) result);
  }

  static Map<Keyword, Object> error(String message) {
    return ErrorEdn.incorrect(message);
  }

  static Map<Keyword, Object> error(DatahopException e) {
    return ErrorEdn.of(e);
  }

  /** True when {@code text} has balanced brackets outside strings (a complete command). */
  static boolean complete(String text) {
    int depth = 0;
    boolean str = false;
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (comment) {
        comment = c != '\n';
      } else if (str) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          str = false;
        }
      } else if (c == '"') {
        str = true;
      } else if (c == ';') {
        comment = true;
      } else if (c == '\\') {
        i++;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
    }
    return depth <= 0 && !str;
  }

  @Override
  public void close() {
    if (conn != null) {
      conn.close();
      conn = null;
    }
  }
}
