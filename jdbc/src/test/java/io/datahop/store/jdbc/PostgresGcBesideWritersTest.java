package io.datahop.store.jdbc;

import io.datahop.db.GcBesideWritersContract;

/** gc beside live writers on a real PostgreSQL. */
class PostgresGcBesideWritersTest extends GcBesideWritersContract {
  @Override
  protected String newUri() throws Exception {
    return TestPostgres.freshDatabase("gcbeside");
  }

  @Override
  protected int transactionsPerWriter() {
    return 80;
  }
}
