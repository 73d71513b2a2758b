package io.datahop.query.exec;

import io.datahop.edn.Symbol;

/** A rule called with a given set of bound argument positions (bit i: argument i is bound). */
record RuleKey(Symbol name, int mask, Symbol src) {}
