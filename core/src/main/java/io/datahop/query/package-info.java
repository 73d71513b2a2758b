/**
 * Datalog queries in the Datomic/Datahike dialect: the entry point {@link
 * io.datahop.query.Datalog}, per-call options in {@link io.datahop.query.QueryRequest} and the
 * error factory {@link io.datahop.query.QueryErrors}.
 *
 * <p>Stages: {@code query.parse} turns EDN text or Java data into the records of {@code
 * query.ast}; {@code query.exec} validates (functions, rules, arities, find variables), plans by
 * cost from O(log n) index counts and runs the plan as small operators (index scan, hash join,
 * filter, bind, anti-join, union, rule call) whose tree {@code explain} prints. See {@code
 * docs/query.md}.
 */
package io.datahop.query;
