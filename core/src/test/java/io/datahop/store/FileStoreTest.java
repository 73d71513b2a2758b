package io.datahop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest extends StoreContractTest {
  @TempDir Path tmp;
  private int stores;

  @Override
  protected Store newStore() {
    return Stores.open("file:" + tmp.resolve("store" + stores++), true);
  }

  @Override
  protected void damage(Store store, Address address) throws IOException {
    Path dir = ((FileStore) store).directory();
    for (Path pack : packs(dir)) {
      byte[] all = Files.readAllBytes(pack);
      int at = indexOf(all, address.toBytes());
      if (at >= 0) {
        // the address sits at record offset 8 and the data starts at 44
        int data = at + 36;
        try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(new byte[] {(byte) (all[data] ^ 0x5a)}), data);
        }
      }
    }
  }

  static List<Path> packs(Path dir) throws IOException {
    List<Path> packs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(FileStore.PACKS_DIR), "*.pack")) {
      files.forEach(packs::add);
    }
    return packs;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aTornTailLeftByACrashedWriterIsIgnored() throws Exception {
    Path dir = tmp.resolve("torn");
    Address kept;
    try (FileStore store = FileStore.open(dir, true)) {
      kept = store.put(bytes("committed"));
      store.compareAndSetHead("main", null, kept);
    }
    Path pack = packs(dir).get(0);
    // a complete header promising 1000 bytes of which only 3 arrived, as after SIGKILL mid-append
    byte[] full = Files.readAllBytes(pack);
    int header = indexOf(full, kept.toBytes()) - 8;
    byte[] torn = Arrays.copyOfRange(full, header, header + Pack.RECORD_HEADER);
    Address lost = Address.of(bytes("never complete"));
    lost.copyTo(torn, 8);
    ByteBuffer.wrap(torn).putInt(4, 1000);
    ByteBuffer.wrap(torn).putInt(40, crcOf(torn));
    Files.write(pack, concat(torn, bytes("abc")), StandardOpenOption.APPEND);

    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(kept);
      assertThat(store.get(kept)).isEqualTo(bytes("committed"));
      assertThat(store.contains(lost)).isFalse();
      Address fresh = store.put(bytes("never complete"));
      assertThat(fresh).isEqualTo(lost);
      store.compareAndSetHead("main", kept, fresh);
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.get(lost)).isEqualTo(bytes("never complete"));
    }
  }

  @Test
  void aPutReusingAnUnsoundCopyWritesASoundOne() throws Exception {
    Path dir = tmp.resolve("unsound");
    Address a;
    try (FileStore writer = FileStore.open(dir, true)) {
      a = writer.put(bytes("written by a writer whose data never reached the disk"));
    }
    damage(FileStore.open(dir, false), a);
    try (FileStore store = FileStore.open(dir, false)) {
      store.put(bytes("written by a writer whose data never reached the disk"));
      store.compareAndSetHead("main", null, a);
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.get(a)).isEqualTo(bytes("written by a writer whose data never reached the disk"));
    }
  }

  @Test
  void aStoreOpenedByManyThreadsAtOnceGetsOneId() throws Exception {
    Path dir = tmp.resolve("racing-create");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<StoreId>> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(pool.submit(() -> {
          try (FileStore s = FileStore.open(dir, true)) {
            return s.id();
          }
        }));
      }
      StoreId first = ids.get(0).get();
      for (Future<StoreId> id : ids) {
        assertThat(id.get()).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTornHeadRecordLeavesThePreviousCommit() throws Exception {
    Path dir = tmp.resolve("torn-head");
    Address c1;
    Address c2;
    try (FileStore store = FileStore.open(dir, true)) {
      c1 = store.put(bytes("c1"));
      c2 = store.put(bytes("c2"));
      store.compareAndSetHead("main", null, c1);
      store.compareAndSetHead("main", c1, c2);
    }
    Path pack = packs(dir).get(0);
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.WRITE)) {
      // as if the process had died half way through writing the head record of c2
      ch.truncate(ch.size() - 20);
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(c1);
      assertThat(store.compareAndSetHead("main", c1, c2)).isTrue();
      assertThat(store.head("main")).contains(c2);
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(c2);
    }
  }

  @Test
  void aHeadRecordWhoseBlobsDidNotReachTheDiskIsNoCommit() throws Exception {
    Path dir = tmp.resolve("lost-blobs");
    Address c1;
    Address c2;
    try (FileStore store = FileStore.open(dir, true)) {
      c1 = store.put(bytes("c1"));
      store.compareAndSetHead("main", null, c1);
      c2 = store.put(bytes("the commit c2, whose page a power cut lost"));
      store.compareAndSetHead("main", c1, c2);
    }
    // one sync covers blob and head record, in no order: the head record may survive alone
    byte[] all = Files.readAllBytes(packs(dir).get(0));
    int data = indexOf(all, c2.toBytes()) + 36;
    try (FileChannel ch = FileChannel.open(packs(dir).get(0), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[12]), data);
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(c1);
      assertThat(store.get(c1)).isEqualTo(bytes("c1"));
      assertThat(store.compareAndSetHead("main", c1, store.put(bytes("c3")))).isTrue();
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(Address.of(bytes("c3")));
    }
  }

  @Test
  void aStoreWithAHeadsFileOfTheOlderFormatKeepsItsHeads() throws Exception {
    Path dir = tmp.resolve("legacy-heads");
    Address c1;
    try (FileStore store = FileStore.open(dir, true)) {
      c1 = store.put(bytes("c1"));
    }
    // what a store written before head records held: heads in a two-slot heads file
    Path heads = dir.resolve(FileStore.HEADS_FILE);
    HeadsFile.create(heads);
    try (FileChannel ch = FileChannel.open(heads, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      HeadsFile.write(ch, HeadsFile.read(ch, heads), java.util.Map.of("main", c1));
    }
    Address c2;
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(c1);
      c2 = store.put(bytes("c2"));
      assertThat(store.compareAndSetHead("main", null, c2)).isFalse();
      assertThat(store.compareAndSetHead("main", c1, c2)).isTrue();
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.head("main")).contains(c2);
      assertThat(store.heads()).containsExactly("main");
    }
  }

  /**
   * The writer gathers records in a buffer before writing them (Pack.WRITE_BUFFER): every blob
   * must read back at once, from the file or through a write of the buffer, and after a reopen,
   * whatever its size against the buffer's — small ones that share it, ones that just fill it,
   * and bigger ones that are written on their own — and a second instance must see the committed
   * ones.
   */
  @Test
  void blobsOfEverySizeAroundTheWriteBufferReadBackAtOnceAndAfterAReopen() throws Exception {
    Path dir = tmp.resolve("buffered");
    SplittableRandom r = new SplittableRandom(42);
    List<byte[]> blobs = new ArrayList<>();
    List<Address> addresses = new ArrayList<>();
    int buffer = Pack.WRITE_BUFFER;
    int[] sizes = {0, 1, 100, buffer - Pack.RECORD_HEADER, buffer - Pack.RECORD_HEADER + 1, buffer, 3 * buffer};
    try (FileStore store = FileStore.open(dir, true)) {
      for (int i = 0; i < 300; i++) {
        int size = i % 10 == 0 ? sizes[r.nextInt(sizes.length)] : r.nextInt(8_000);
        byte[] blob = new byte[size];
        r.nextBytes(blob);
        Address a = store.put(blob);
        blobs.add(blob);
        addresses.add(a);
        assertThat(store.get(a)).as("blob %d (%d bytes) right after its put", i, size).isEqualTo(blob);
        int earlier = r.nextInt(i + 1);
        assertThat(store.get(addresses.get(earlier))).as("blob %d after put %d", earlier, i).isEqualTo(blobs.get(earlier));
        if (i % 50 == 49) {
          assertThat(store.compareAndSetHead("main", store.head("main").orElse(null), a)).isTrue();
          try (FileStore other = FileStore.open(dir, false)) {
            for (int j = 0; j <= i; j++) {
              assertThat(other.get(addresses.get(j))).as("blob %d seen by a second instance", j).isEqualTo(blobs.get(j));
            }
          }
        }
      }
    }
    try (FileStore store = FileStore.open(dir, false)) {
      for (int i = 0; i < blobs.size(); i++) {
        assertThat(store.get(addresses.get(i))).as("blob %d after a reopen", i).isEqualTo(blobs.get(i));
      }
    }
  }

  @Test
  void headsSurviveManyCommitsAndReopens() throws Exception {
    Path dir = tmp.resolve("many-heads");
    java.util.Map<String, Address> model = new java.util.TreeMap<>();
    for (int round = 0; round < 5; round++) {
      try (FileStore store = FileStore.open(dir, true)) {
        for (String name : model.keySet()) {
          assertThat(store.head(name)).contains(model.get(name));
        }
        for (int i = 0; i < 7; i++) {
          Address next = store.put(bytes("commit " + round + "/" + i));
          for (String name : List.of("main", "branch " + i)) {
            assertThat(store.compareAndSetHead(name, model.get(name), next)).isTrue();
            model.put(name, next);
          }
        }
      }
    }
    try (FileStore store = FileStore.open(dir, false)) {
      assertThat(store.heads()).isEqualTo(model.keySet());
    }
  }

  @Test
  void compactionReclaimsDeletedSpaceAndKeepsEveryLiveBlobReadable() throws Exception {
    Path dir = tmp.resolve("compact");
    SplittableRandom rnd = new SplittableRandom(5);
    List<Address> all = new ArrayList<>();
    try (FileStore writer = FileStore.open(dir, true)) {
      for (int i = 0; i < 100; i++) {
        all.add(writer.put(random(rnd, 10_000)));
      }
      writer.compareAndSetHead("main", null, all.get(0));
    }
    List<Address> live = all.subList(0, 20);
    List<Address> dead = all.subList(20, 100);
    Path oldPack = packs(dir).get(0);
    long before = Files.size(oldPack);
    try (FileStore reader = FileStore.open(dir, false);
        FileStore gc = FileStore.open(dir, false)) {
      assertThat(reader.get(live.get(3))).hasSize(10_000);
      gc.sweep(h -> dead);
      long reclaimed = gc.compact();
      assertThat(reclaimed).isEqualTo(before);
      assertThat(oldPack).doesNotExist();
      assertThat(gc.head("main")).as("the head record was in the deleted pack").contains(all.get(0));
      assertThat(gc.compact()).as("nothing left to reclaim").isZero();
      for (FileStore s : List.of(gc, reader)) {
        for (Address a : live) {
          assertThat(Address.of(s.get(a))).isEqualTo(a);
        }
      }
      for (Address a : dead) {
        assertThat(gc.contains(a)).isFalse();
      }
    }
    try (FileStore reopened = FileStore.open(dir, false)) {
      assertThat(reopened.head("main")).contains(all.get(0));
      for (Address a : live) {
        assertThat(Address.of(reopened.get(a))).isEqualTo(a);
      }
      for (Address a : dead) {
        assertThat(reopened.contains(a)).isFalse();
      }
      long total = 0;
      for (Path p : packs(dir)) {
        total += Files.size(p);
      }
      assertThat(total).isLessThan(before / 3);
    }
  }

  @Test
  void compactionLeavesAPackAloneWhileItsWriterIsOpen() throws Exception {
    Path dir = tmp.resolve("compact-live");
    try (FileStore writer = FileStore.open(dir, true);
        FileStore gc = FileStore.open(dir, false)) {
      List<Address> mine = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        mine.add(writer.put(bytes("blob " + i)));
      }
      writer.compareAndSetHead("main", null, mine.get(0));
      gc.sweep(h -> mine.subList(1, 10));
      assertThat(gc.compact()).isZero();
      assertThat(writer.get(mine.get(0))).isEqualTo(bytes("blob 0"));
      Address later = writer.put(bytes("written after the compaction attempt"));
      writer.compareAndSetHead("main", mine.get(0), later);
      assertThat(gc.get(later)).isEqualTo(bytes("written after the compaction attempt"));
    }
  }

  @Test
  void aClosedStoreRefusesWork() throws Exception {
    FileStore store = FileStore.open(tmp.resolve("closed"), true);
    store.close();
    assertThatThrownBy(() -> store.put(bytes("x"))).isInstanceOf(DatahopException.class).hasMessageContaining("closed");
  }

  @Test
  void manyThreadsPuttingAndCommittingLoseNothing() throws Exception {
    Path dir = tmp.resolve("threads");
    List<Address> all = new ArrayList<>();
    try (FileStore store = FileStore.open(dir, true)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Address>>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          work.add(pool.submit(() -> {
            SplittableRandom rnd = new SplittableRandom(thread);
            List<Address> mine = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
              mine.add(store.put(random(rnd, 1 + rnd.nextInt(8000))));
              if (i % 10 == 9) {
                Address head;
                do {
                  head = store.head("main").orElse(null);
                } while (!store.compareAndSetHead("main", head, mine.get(mine.size() - 1)));
              }
            }
            return mine;
          }));
        }
        for (Future<List<Address>> f : work) {
          all.addAll(f.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
    try (FileStore store = FileStore.open(dir, false)) {
      for (Address a : all) {
        assertThat(Address.of(store.get(a))).isEqualTo(a);
      }
    }
  }

  @Test
  void aPackRecordHasTheBytesDocumentedInFormatMd() throws Exception {
    Path dir = tmp.resolve("example");
    try (FileStore store = FileStore.open(dir, true)) {
      store.put(bytes("hi"));
    }
    byte[] pack = Files.readAllBytes(packs(dir).get(0));
    assertThat(java.util.HexFormat.of().formatHex(pack))
        .isEqualTo(
            "44485041434b0002"
                + "4448422b00000002"
                + "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"
                + "e571cbc0"
                + "6869");
  }

  static int crcOf(byte[] header) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(header, 4, 36);
    return (int) crc.getValue();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
