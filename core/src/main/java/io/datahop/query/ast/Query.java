package io.datahop.query.ast;

import java.util.List;

/**
 * A parsed query. {@code returnKind} is {@code null}, {@code "keys"}, {@code "strs"} or {@code
 * "syms"}, with {@code returnNames} naming each find element.
 */
public record Query(
    FindSpec find,
    List<Term.Var> with,
    List<Binding> in,
    List<Clause> where,
    String returnKind,
    List<String> returnNames,
    Long offset,
    Long limit,
    Long timeoutMs) {}
