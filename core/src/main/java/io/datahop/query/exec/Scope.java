package io.datahop.query.exec;

import io.datahop.edn.Symbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps the variables of one clause list to slots of its rows ({@code Object[]}). */
final class Scope {
  private final Map<Symbol, Integer> slots = new HashMap<>();
  private final List<Symbol> names = new ArrayList<>();

  int slot(Symbol v) {
    Integer s = slots.get(v);
    if (s != null) {
      return s;
    }
    slots.put(v, names.size());
    names.add(v);
    return names.size() - 1;
  }

  Integer find(Symbol v) {
    return slots.get(v);
  }

  int width() {
    return names.size();
  }

  Symbol name(int slot) {
    return names.get(slot);
  }
}
