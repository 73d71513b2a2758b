/**
 * Validation, cost-based planning and execution of parsed queries. {@link
 * io.datahop.query.exec.Engine} is the entry; {@link io.datahop.query.exec.Fns} and {@link
 * io.datahop.query.exec.Aggregates} hold the built-in and registered functions and aggregates;
 * {@link io.datahop.query.exec.Values} defines equality and ordering of query values. Everything
 * else is package-private.
 */
package io.datahop.query.exec;
