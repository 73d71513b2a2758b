/**
 * Parsing of queries (vector form, map form, EDN text) and rule sets into {@code query.ast};
 * Java lists are accepted wherever EDN has a list or a vector and the meaning is unambiguous.
 */
package io.datahop.query.parse;
