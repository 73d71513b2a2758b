package io.datahop.query.exec;

/**
 * One position of a data pattern as the planner compiled it: absent, a constant (already
 * resolved to an entity id where the source needs one), a slot bound before the pattern runs, a
 * slot the pattern binds, a repeat of a slot the same pattern binds (checked), or {@code _}.
 */
record Pos(int kind, int slot, Object value) {
  static final int ABSENT = 0;
  static final int CONST = 1;
  static final int BOUND = 2;
  static final int FREE = 3;
  static final int CHECK = 4;
  static final int BLANK = 5;

  boolean known() {
    return kind == CONST || kind == BOUND;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case CONST -> "const";
      case BOUND -> "bound";
      case FREE -> "free";
      case CHECK -> "check";
      case BLANK -> "_";
      default -> "-";
    };
  }
}
