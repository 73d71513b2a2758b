package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces the calls of transaction functions in tx-data ({@code [:my.ns/fn args…]}) by the
 * tx-data they return, until none is left. Bounded: a function that keeps returning calls fails
 * after {@link #MAX_DEPTH} levels, and the expanded tx-data after {@link #MAX_FORMS} forms.
 */
final class TxExpansion {
  static final int MAX_DEPTH = 32;
  static final int MAX_FORMS = 10_000_000;

  private final Functions functions;
  private final Db db;
  private final List<Object> out = new ArrayList<>();

  private TxExpansion(Functions functions, Db db) {
    this.functions = functions;
    this.db = db;
  }

  /** {@code forms} with every function call expanded; {@code forms} itself when there is none. */
  static List<?> expand(List<?> forms, Snapshot before) {
    Functions fns = before.ctx().functions();
    if (!fns.hasTxFunctions() || !anyCall(forms, fns)) return forms;
    TxExpansion x = new TxExpansion(fns, new DbImpl(before));
    x.add(forms, 0);
    return x.out;
  }

  private static boolean anyCall(List<?> forms, Functions fns) {
    for (Object f : forms) if (name(f, fns) != null) return true;
    return false;
  }

  /** The function a form calls, or null when it is no call of a registered function. */
  private static String name(Object form, Functions fns) {
    if (!(form instanceof List<?> l) || l.isEmpty()) return null;
    Keyword k = TxInput.keyword(l.get(0));
    if (k == null || k.namespace() == null) return null;
    String n = k.namespace() + "/" + k.name();
    return fns.txFunction(n) != null ? n : null;
  }

  private void add(List<?> forms, int depth) {
    for (Object form : forms) {
      String name = name(form, functions);
      if (name == null) {
        if (out.size() >= MAX_FORMS) {
          throw new DatahopException.Incorrect("tx/too-large",
              "transaction functions expanded to more than " + MAX_FORMS + " forms", Map.of(), null);
        }
        out.add(form);
        continue;
      }
      if (depth >= MAX_DEPTH) {
        throw new DatahopException.Incorrect("tx/function-depth",
            "transaction function " + name + " is called " + MAX_DEPTH + " calls deep: a call that never ends?",
            Map.of("function", name), null);
      }
      List<?> call = (List<?>) form;
      List<Object> args = new ArrayList<>(call.subList(1, call.size()));
      Object result;
      try {
        result = functions.txFunction(name).apply(db, java.util.Collections.unmodifiableList(args));
      } catch (DatahopException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new DatahopException.Incorrect("tx/function-failed",
            "transaction function " + name + " failed: " + e.getMessage(),
            Map.of("function", name, "args", TxOp.describe(args)), e);
      }
      add(TxInput.forms(result == null ? List.of() : result), depth + 1);
    }
  }
}
