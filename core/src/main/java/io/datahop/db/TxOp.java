package io.datahop.db;

/**
 * One primitive operation of a transaction, after entity maps are expanded. Entity and value
 * positions still hold what the user wrote (ids, tempids, lookup refs, idents); the resolver
 * replaces them with entity ids.
 */
sealed interface TxOp {
  /** The tx-data form this op came from, for error messages. */
  Object source();

  /** {@link #source} as the user would have written it, for error messages. */
  default String form() {
    return describe(source());
  }

  /** Longest rendering of a form in an error; a 100k-entity map should not become the message. */
  int FORM_CHARS = 300;

  /**
   * A tx-data form as EDN (a Java {@code Map}'s own {@code toString} would show {@code {:a=1}}),
   * cut at {@link #FORM_CHARS}; values EDN has no form for show their {@code toString}.
   */
  static String describe(Object form) {
    String s;
    try {
      s = io.datahop.edn.Edn.write(form);
    } catch (RuntimeException e) {
      s = String.valueOf(form);
    }
    return s.length() <= FORM_CHARS ? s : s.substring(0, FORM_CHARS) + "…";
  }

  record Add(Object e, Object a, Object v, Object source) implements TxOp {}

  /** {@code v == ABSENT} retracts every value of the attribute. */
  record Retract(Object e, Object a, Object v, Object source) implements TxOp {}

  record RetractEntity(Object e, Object source) implements TxOp {}

  record Cas(Object e, Object a, Object expected, Object v, Object source) implements TxOp {}

  /** Marks "no value" in {@link Retract}: {@code [:db/retract e a]}. */
  Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "<all>";
    }
  };

  /** A tempid made up for an entity map without {@code :db/id}. */
  record AutoTempid(int n) {
    @Override
    public String toString() {
      return "#tempid " + n;
    }
  }

  /** A tempid the user wrote: a string, or a negative long. */
  record Tempid(Object name) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Tempid t && name.equals(t.name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name instanceof String s ? '"' + s + '"' : String.valueOf(name);
    }
  }

  /** {@code [attr value]} naming the entity whose unique attribute has that value. */
  record LookupRef(Object attr, Object value) {
    @Override
    public String toString() {
      return "[" + attr + " " + value + "]";
    }
  }
}
