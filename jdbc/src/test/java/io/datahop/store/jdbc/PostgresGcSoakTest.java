package io.datahop.store.jdbc;

import io.datahop.db.GcSoakContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** gc beside writers and readers in other processes, with kills, on a real PostgreSQL. */
class PostgresGcSoakTest extends GcSoakContract {
  private static EmbeddedPostgres pg;
  private static final AtomicInteger databases = new AtomicInteger();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @Override
  protected String newUri(Path dir) throws Exception {
    String name = "soak" + databases.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }
}
