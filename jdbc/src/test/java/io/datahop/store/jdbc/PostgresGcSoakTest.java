package io.datahop.store.jdbc;

import io.datahop.db.GcSoakContract;
import java.nio.file.Path;

/** gc beside writers and readers in other processes, with kills, on a real PostgreSQL. */
class PostgresGcSoakTest extends GcSoakContract {
  @Override
  protected String newUri(Path dir) throws Exception {
    return TestPostgres.freshDatabase("soak");
  }
}
