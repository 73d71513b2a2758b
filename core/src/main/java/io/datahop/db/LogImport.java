package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.store.Address;
import io.datahop.store.Store;
import io.datahop.store.Stores;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Rebuilds an exported log in a store without a database ({@link Backups#importLog}). Every
 * transaction is replayed ({@link TxReplay}) and stored as a commit as the writer would; the
 * branch head is set once, at the end, from absent to the last commit. So a log refused halfway,
 * or a run killed, leaves no database behind: only unreachable blobs, which gc deletes (and a
 * store this run created is deleted again on a refusal).
 */
final class LogImport {
  private LogImport() {}

  private static final String BRANCH = "main";

  static Map<Keyword, Object> run(Path file, String uri, Backups.Progress progress) {
    if (!Files.isRegularFile(file)) {
      throw new DatahopException.NotFound("import/no-file", "no such file: " + file, Map.of("file", file.toString()), null);
    }
    boolean created = !Stores.exists(uri);
    Map<Keyword, Object> out;
    try (Store store = Stores.open(uri, true)) {
      out = run(file, store, progress);
    } catch (RuntimeException e) {
      if (created && !(e instanceof DatahopException.Conflict)) {
        try {
          Stores.delete(uri);
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
    out.put(Keyword.of("imported"), uri);
    return out;
  }

  private static Map<Keyword, Object> run(Path file, Store store, Backups.Progress progress) {
    if (store.head(BRANCH).isPresent()) {
      throw new DatahopException.Conflict("import/target-exists",
          "a database already exists at " + store.locator() + "; import into a new store",
          Map.of("uri", store.locator()), null);
    }
    long gcGeneration = store.gcGeneration();
    Commits commits = new Commits(new IndexContext(store));
    int line = 0;
    long datoms = 0;
    LogFormat.Header header;
    Snapshot cur;
    try (BufferedReader r = reader(file)) {
      String text = r.readLine();
      line++;
      if (text == null) throw LogFormat.bad(1, null, "the file " + file + " is empty: no log header");
      header = LogFormat.readHeader(text, line);
      cur = commits.write(commits.bootstrap(new DbConfig(header.keepHistory(), header.schemaOnRead(), BRANCH, null)));
      progress.update(0, header.basisT());
      while ((text = r.readLine()) != null) {
        line++;
        if (text.isBlank()) continue;
        CommitChanges.Tx tx = LogFormat.readTx(text, line);
        cur = commits.write(TxReplay.apply(cur, tx, line));
        datoms += tx.data().size();
        progress.update(cur.basisT(), header.basisT());
      }
    } catch (IOException e) {
      throw new DatahopException.Incorrect("import/bad-file", "reading " + file + " failed after line " + line + ": " + e,
          Map.of("file", file.toString(), "line", line), e);
    }
    if (cur.basisT() != header.basisT()) {
      throw new DatahopException.Incorrect("import/truncated", "the log ends at t " + cur.basisT() + " but its header says "
          + header.basisT() + " (line " + line + "): a truncated file?",
          Map.of("file", file.toString(), "line", line, "t", cur.basisT()), null);
    }
    Address head = cur.address();
    if (!store.compareAndSetHead(BRANCH, null, head, gcGeneration)) {
      throw new DatahopException.Conflict("import/target-exists",
          "another process created a database at " + store.locator() + " (or collected it) during the import",
          Map.of("uri", store.locator()), null);
    }
    Map<Keyword, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of("file"), file.toString());
    out.put(Keyword.of("transactions"), header.basisT());
    out.put(Keyword.of("datoms"), datoms);
    out.put(Keyword.of("basis-t"), cur.basisT());
    return out;
  }

  /** The lines of {@code file}, gunzipped when it starts with the gzip magic (whatever its name). */
  private static BufferedReader reader(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    if (gzip) in = new GZIPInputStream(in, 1 << 16);
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }
}
