/**
 * EDN, the data notation of Clojure and Datomic: {@link io.datahop.edn.Edn} reads and writes it,
 * {@link io.datahop.edn.EdnReader} adds tagged-literal readers and limits, and {@link
 * io.datahop.edn.Keyword}, {@link io.datahop.edn.Symbol} and {@link io.datahop.edn.EdnList} are the
 * EDN types Java lacks. The reader is iterative and bounded, so hostile text gives a clear error
 * with line and column, never a StackOverflowError.
 */
package io.datahop.edn;
