package io.datahop.db;

import java.nio.file.Path;

/** gc beside writers and readers in other processes, with kills, on the file store. */
class FileGcSoakTest extends GcSoakContract {
  @Override
  protected String newUri(Path dir) {
    return "file:" + dir.resolve("db");
  }
}
