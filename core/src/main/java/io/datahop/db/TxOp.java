package io.datahop.db;

/**
 * One primitive operation of a transaction, after entity maps are expanded. Entity and value
 * positions still hold what the user wrote (ids, tempids, lookup refs, idents); the resolver
 * replaces them with entity ids.
 */
sealed interface TxOp {
  /** The tx-data form this op came from, for error messages. */
  Object source();

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
