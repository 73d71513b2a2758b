package io.datahop.db;

import java.util.UUID;

/** gc beside live writers on the memory store. */
class MemGcBesideWritersTest extends GcBesideWritersContract {
  @Override
  protected String newUri() {
    return "mem:gc-" + UUID.randomUUID();
  }
}
