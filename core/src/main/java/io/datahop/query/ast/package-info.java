/**
 * The query AST: immutable records under sealed interfaces ({@link io.datahop.query.ast.Term},
 * {@link io.datahop.query.ast.Clause}, {@link io.datahop.query.ast.Binding}, {@link
 * io.datahop.query.ast.FindSpec}, {@link io.datahop.query.ast.FindElem}), handled with pattern
 * switches rather than visitors.
 */
package io.datahop.query.ast;
