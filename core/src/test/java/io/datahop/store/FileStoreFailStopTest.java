package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fail-stop rule of the file store: after a failed write, force or truncate, no more writes. */
class FileStoreFailStopTest {
  @TempDir Path tmp;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void afterAFailedForceEveryWriteFailsFastNamingTheFileAndReadsGoOn() {
    Path dir = tmp.resolve("poisoned");
    FaultyFileIo io = new FaultyFileIo(FaultyFileIo.Plan.none());
    try (FileStore store = FileStore.open(dir, true, io)) {
      Address c1 = store.put(bytes("c1"));
      assertThat(store.compareAndSetHead("main", null, c1)).isTrue();
      Address c2 = store.put(bytes("c2"));
      io.failNextForce(() -> {});
      assertThatThrownBy(() -> store.compareAndSetHead("main", c1, c2))
          .isInstanceOfSatisfying(DatahopException.Fault.class, e -> {
            assertThat(e.code()).isEqualTo("store/io-failed");
            assertThat(e.getMessage()).contains(".pack").contains("Input/output error");
            assertThat(e.context()).containsKeys("store", "file", "cause");
            assertThat((String) e.context().get("file")).endsWith(".pack");
          });
      List<Runnable> writes = List.of(
          () -> store.put(bytes("c3")),
          () -> store.put(bytes("c1")), // already stored: still refused
          () -> store.compareAndSetHead("main", c1, c2),
          () -> store.compareAndSetHead("main", c2, c1), // would fail its compare: refused first
          () -> store.sweep(heads -> List.of(c1)),
          store::compact);
      for (Runnable write : writes) {
        assertThatThrownBy(write::run)
            .isInstanceOfSatisfying(DatahopException.Fault.class, e -> {
              assertThat(e.code()).isEqualTo("store/io-failed");
              assertThat(e.getMessage()).contains("takes no more writes").contains(".pack").contains("Input/output error");
            });
      }
      assertThat(store.get(c1)).isEqualTo(bytes("c1"));
      assertThat(store.get(c2)).isEqualTo(bytes("c2"));
      assertThat(store.head("main")).contains(c1);
    }
    try (FileStore reopened = FileStore.open(dir, false)) {
      assertThat(reopened.head("main")).contains(Address.of(bytes("c1")));
      Address c3 = reopened.put(bytes("c3"));
      assertThat(reopened.compareAndSetHead("main", Address.of(bytes("c1")), c3)).isTrue();
    }
    try (FileStore reopened = FileStore.open(dir, false)) {
      assertThat(reopened.head("main")).contains(Address.of(bytes("c3")));
    }
  }

  /**
   * The scenario: a head record appended, its force failed. The record stays in the page
   * cache, where another instance (any process) could build on it, and a power cut may or may not
   * keep it. It is retracted, and its seq is never written again, so whether it survives or not,
   * the next commit by anyone is the head after a reopen. (Eight rounds: were the seq reused, the
   * tie between the two records would go by their packs' random names.)
   */
  @Test
  void aCommitWhoseForceFailedIsRetractedAndTheNextCommitWinsEvenIfTheRecordComesBack() throws Exception {
    for (int round = 0; round < 8; round++) {
      retractedAndSuperseded(tmp.resolve("retracted-" + round));
    }
  }

  private void retractedAndSuperseded(Path dir) throws Exception {
    FaultyFileIo io = new FaultyFileIo(FaultyFileIo.Plan.none());
    Address c1;
    Address c2;
    Address c3;
    AtomicReference<Address> seenMeanwhile = new AtomicReference<>();
    try (FileStore a = FileStore.open(dir, true, io);
        FileStore b = FileStore.open(dir, false)) {
      c1 = a.put(bytes("c1"));
      assertThat(a.compareAndSetHead("main", null, c1)).isTrue();
      assertThat(b.head("main")).contains(c1);
      c2 = a.put(bytes("c2, whose force fails"));
      // b reads while a's force runs: it sees the complete head record, before its retraction
      io.failNextForce(() -> seenMeanwhile.set(b.head("main").orElse(null)));
      assertThatThrownBy(() -> a.compareAndSetHead("main", c1, c2)).isInstanceOf(DatahopException.Fault.class);
      assertThat(seenMeanwhile.get()).isEqualTo(c2);
      // retracted: b does not build on it, though it read it as the newest
      assertThat(b.head("main")).contains(c1);
      c3 = b.put(bytes("c3"));
      assertThat(b.compareAndSetHead("main", c2, c3)).isFalse();
      assertThat(b.compareAndSetHead("main", c1, c3)).isTrue();
    }
    // a power cut that keeps a's head record but loses its retraction (the one byte a wrote last)
    int unretracted = 0;
    for (Path pack : FileStoreTest.packs(dir)) {
      byte[] all = Files.readAllBytes(pack);
      for (int i = 0; i + 4 <= all.length; i++) {
        if (all[i] == 'D' && all[i + 1] == 'H' && all[i + 2] == 'H' && all[i + 3] == '-') {
          try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'+'}), i + 3);
          }
          unretracted++;
        }
      }
    }
    assertThat(unretracted).as("retracted head records").isEqualTo(1);
    try (FileStore reopened = FileStore.open(dir, false)) {
      assertThat(reopened.head("main")).contains(c3);
      assertThat(reopened.get(c2)).isEqualTo(bytes("c2, whose force fails"));
    }
  }

  @Test
  void aFailedWriteOfTheBufferIsNeverWrittenAgainAndItsRecordsStayReadable() {
    Path dir = tmp.resolve("failed-write");
    FileStore.open(dir, true).close();
    // the pack's header is the first write, its zeros ahead the second, the buffer the third
    FaultyFileIo io = new FaultyFileIo(new FaultyFileIo.Plan(FaultyFileIo.Mode.FAIL, 3, true));
    Address a;
    try (FileStore store = FileStore.open(dir, false, io)) {
      a = store.put(bytes("a blob"));
      assertThatThrownBy(() -> store.compareAndSetHead("main", null, a))
          .isInstanceOfSatisfying(DatahopException.Fault.class, e -> assertThat(e.code()).isEqualTo("store/io-failed"));
      assertThat(io.triggered()).startsWith("WRITE");
      long writes = io.counts().get(FaultyFileIo.Op.WRITE);
      assertThat(store.get(a)).isEqualTo(bytes("a blob")); // from the buffer
      assertThat(io.counts().get(FaultyFileIo.Op.WRITE)).isEqualTo(writes);
    }
    assertThat(io.counts().get(FaultyFileIo.Op.TRUNCATE)).as("closing a failed pack cuts nothing").isZero();
    try (FileStore reopened = FileStore.open(dir, false)) {
      assertThat(reopened.head("main")).isEmpty();
      reopened.put(bytes("a blob"));
      assertThat(reopened.compareAndSetHead("main", null, a)).isTrue();
      assertThat(reopened.get(a)).isEqualTo(bytes("a blob"));
    }
  }
}
