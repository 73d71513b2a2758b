package io.datahop.query.ast;

import java.util.List;

/** The shape of a query's result. */
public sealed interface FindSpec {
  /** The elements, in order. */
  List<FindElem> elements();

  /** {@code :find ?a ?b}: a set of tuples. */
  record Rel(List<FindElem> elements) implements FindSpec {}

  /** {@code :find [?a ...]}: a collection of values. */
  record Coll(List<FindElem> elements) implements FindSpec {}

  /** {@code :find [?a ?b]}: one tuple, or nil. */
  record Tuple(List<FindElem> elements) implements FindSpec {}

  /** {@code :find ?a .}: one value, or nil. */
  record Scalar(List<FindElem> elements) implements FindSpec {}
}
