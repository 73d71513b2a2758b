package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.store.Address;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a branch's log ({@link Backups#exportLog}): the header, then each transaction since t 1
 * in t order, one line each. The file is written beside the target and moved over it at the end,
 * so a failed export never leaves a truncated log under the name asked for.
 */
final class LogExport {
  private LogExport() {}

  static Map<Keyword, Object> export(ConnectionImpl conn, Path file, Backups.Progress progress) {
    Snapshot head = ((DbImpl) conn.db()).snapshot();
    if (head.horizonT() > 0) {
      // the transactions before the horizon are gone, and its base holds their sum, which no
      // transaction of the log could rebuild: an import would not be this database
      throw new DatahopException.Unsupported("export/retained-history",
          "the database at " + conn.uri() + " gave up its history before t " + head.horizonT()
              + " (gc --keep-since), so its log no longer rebuilds it; copy the store instead (datahop copy)",
          Map.of("uri", conn.uri(), "horizon-t", head.horizonT()), null);
    }
    Commits commits = conn.commits();
    List<Address> chain = CommitChanges.chain(commits, head.address());
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    long datoms = 0;
    try (OutputStream raw = Files.newOutputStream(tmp);
        OutputStream out = gzipped(file) ? new GZIPOutputStream(raw, 1 << 16) : raw;
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
      w.write(LogFormat.header(new LogFormat.Header(head.keepHistory(), head.schemaOnRead(), head.basisT())));
      w.write('\n');
      StringBuilder sb = new StringBuilder();
      long total = chain.size() - 1;
      progress.update(0, total);
      // t 0 is the system schema every database starts with: the import's create writes it
      for (int i = 1; i < chain.size(); i++) {
        CommitChanges.Tx tx = CommitChanges.of(commits, chain.get(i));
        sb.setLength(0);
        LogFormat.tx(tx, sb);
        sb.append('\n');
        w.append(sb);
        datoms += tx.data().size();
        progress.update(i, total);
      }
    } catch (IOException e) {
      throw new DatahopException.Fault("export/io", "writing " + file + " failed: " + e, Map.of("file", file.toString()), e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DatahopException.Fault("export/io", "moving " + tmp + " to " + file + " failed: " + e,
          Map.of("file", file.toString()), e);
    }
    Map<Keyword, Object> out = new LinkedHashMap<>();
    out.put(Keyword.of("exported"), conn.uri());
    out.put(Keyword.of("file"), file.toString());
    out.put(Keyword.of("transactions"), (long) chain.size() - 1);
    out.put(Keyword.of("datoms"), datoms);
    out.put(Keyword.of("basis-t"), head.basisT());
    return out;
  }

  static boolean gzipped(Path file) {
    return file.getFileName().toString().endsWith(".gz");
  }
}
