package io.datahop.db;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** gc beside live writers on the file store (one process; see GcBesideWriterProcessesTest for several). */
class FileGcBesideWritersTest extends GcBesideWritersContract {
  @TempDir Path dir;

  @Override
  protected String newUri() {
    return "file:" + dir.resolve("db");
  }
}
