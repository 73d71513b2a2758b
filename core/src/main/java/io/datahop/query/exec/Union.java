package io.datahop.query.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code or} / {@code or-join}: each row seeds every branch with its bound join values; the
 * distinct values the branches give the unbound join variables extend the row (a union, then a
 * join). With no unbound join variable it is a semi-join that stops at the first hit.
 */
final class Union extends Step {
  /** One branch: its plan and how join variables map between outer and branch rows. */
  record Branch(Plan plan, int[] inOuter, int[] inInner, int[] outInner) {}

  private final List<Branch> branches;
  private final int[] outOuter;

  Union(String clause, List<Branch> branches, int[] outOuter) {
    super(clause);
    this.branches = branches;
    this.outOuter = outOuter;
  }

  private static Object[] seed(Branch b, Object[] row) {
    Object[] s = new Object[b.plan().width()];
    for (int i = 0; i < b.inOuter().length; i++) {
      s[b.inInner()[i]] = row[b.inOuter()[i]];
    }
    return s;
  }

  @Override
  boolean run(Exec ex, Object[] row, Plan plan, int idx, int end, Sink sink) {
    if (outOuter.length == 0) {
      for (Branch b : branches) {
        if (ex.exists(b.plan(), seed(b, row))) {
          return ex.next(plan, idx + 1, end, row, sink);
        }
      }
      return true;
    }
    Set<List<Object>> outs = new LinkedHashSet<>();
    for (Branch b : branches) {
      ex.run(
          b.plan(),
          java.util.Collections.singletonList(seed(b, row)),
          r -> {
            Object[] o = new Object[b.outInner().length];
            for (int i = 0; i < o.length; i++) {
              o[i] = r[b.outInner()[i]];
            }
            outs.add(Arrays.asList(o));
            return true;
          });
    }
    for (List<Object> o : outs) {
      Object[] r = row.clone();
      for (int i = 0; i < outOuter.length; i++) {
        r[outOuter[i]] = o.get(i);
      }
      if (!ex.next(plan, idx + 1, end, r, sink)) {
        return false;
      }
    }
    return true;
  }

  @Override
  String describe() {
    return "Union " + clause;
  }

  @Override
  List<Map.Entry<String, Plan>> children() {
    List<Map.Entry<String, Plan>> out = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      out.add(Map.entry("branch " + (i + 1), branches.get(i).plan()));
    }
    return out;
  }
}
