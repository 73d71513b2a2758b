package io.datahop.query.exec;

/**
 * A function or predicate callable from {@code :where}. {@code minArity}/{@code maxArity} are
 * checked when the query is planned, so a wrong call fails before any data is read.
 */
public record Fn(String name, int minArity, int maxArity, Body body) {
  /** The implementation: receives the evaluated arguments (sources as their input objects). */
  @FunctionalInterface
  public interface Body {
    Object apply(Object[] args);
  }

  /** True when {@code n} arguments are accepted. */
  public boolean accepts(int n) {
    return n >= minArity && (maxArity < 0 || n <= maxArity);
  }
}
