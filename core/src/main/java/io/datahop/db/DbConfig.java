package io.datahop.db;

import io.datahop.DatahopException;
import java.util.Objects;

/**
 * How a database is created: fixed for its whole life and stored in every commit.
 *
 * @param keepHistory keep retracted datoms so {@code asOf}, {@code since} and {@code history}
 *     work (default true)
 * @param schemaOnRead accept attributes that were never declared (default false: schema-on-write)
 * @param branch the head this connection reads and writes (default {@code "main"})
 * @param initialTx tx-data transacted right after creation, or {@code null}
 */
public record DbConfig(boolean keepHistory, boolean schemaOnRead, String branch, Object initialTx) {
  public DbConfig {
    Objects.requireNonNull(branch, "branch");
    if (branch.isBlank() || !branch.matches("[A-Za-z0-9._-]+")) {
      throw new DatahopException.Incorrect("config/bad-branch",
          "a branch name is letters, digits, '.', '_' or '-', got '" + branch + "'");
    }
  }

  /** Keep history, schema-on-write, branch {@code main}, no initial tx. */
  public static DbConfig defaults() {
    return new DbConfig(true, false, "main", null);
  }

  public DbConfig withKeepHistory(boolean v) {
    return new DbConfig(v, schemaOnRead, branch, initialTx);
  }

  public DbConfig withSchemaOnRead(boolean v) {
    return new DbConfig(keepHistory, v, branch, initialTx);
  }

  public DbConfig withBranch(String v) {
    return new DbConfig(keepHistory, schemaOnRead, v, initialTx);
  }

  public DbConfig withInitialTx(Object v) {
    return new DbConfig(keepHistory, schemaOnRead, branch, v);
  }
}
