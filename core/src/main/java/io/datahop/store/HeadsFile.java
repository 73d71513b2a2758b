package io.datahop.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The {@code heads} file of file stores written before heads moved into the packs (pack format
 * 2): read once when such a store opens, as the version that the first head record supersedes;
 * never written by the store any more ({@link #create} and {@link #write} remain for tests of
 * that upgrade). Two fixed-size slots, each holding a complete,
 * checksummed, numbered version of every head. A commit writes the next version into the slot
 * holding the older one and syncs it; the newest valid slot is the current state.
 *
 * <p>Why two slots rather than write-temp-then-rename: a rename needs the new file synced and
 * then the directory synced, two device flushes per commit; overwriting a slot of an existing file
 * needs one {@code fdatasync}. A write torn by a crash (or seen half-done by a concurrent reader)
 * fails its checksum, and the other slot still holds the previous version, which is exactly the
 * state before the unfinished commit. This is the meta-page scheme of LMDB.
 *
 * <pre>
 * heads = slot slot                                   each SLOT_BYTES, slot 0 at offset 0
 * slot  = "DHHEADS2" seq:u64 length:u32 crc:u32 payload:length (zero padding)
 * payload = count:u32 (nameLength:u16 name:UTF-8 address:32){count}
 * crc   = CRC32C of seq, length and payload
 * </pre>
 */
final class HeadsFile {
  static final int SLOT_BYTES = 64 * 1024;
  private static final int HEADER = 24;
  /** Most commits have a handful of heads: read this much of each slot first. */
  private static final int FIRST_READ = 4096;
  private static final byte[] MAGIC = "DHHEADS2".getBytes(StandardCharsets.US_ASCII);

  /** One decoded slot. */
  record Version(long seq, int slot, Map<String, Address> heads) {}

  private HeadsFile() {}

  /** Writes a heads file with version 0 (no heads) in slot 0 and syncs it. */
  static void create(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(ch, ByteBuffer.wrap(encode(0, new TreeMap<>())), 0);
      writeFully(ch, ByteBuffer.allocate(SLOT_BYTES), SLOT_BYTES);
      ch.force(true);
    }
  }

  /**
   * The newest version in {@code file}. A slot being written by a committer right now fails its
   * checksum, so the other one is used; if both fail (this read overlapped two commits, or the
   * file is damaged) it reads again a few times before giving up.
   */
  static Version read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, file);
    }
  }

  static Version read(FileChannel ch, Path file) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      Version a = slot(ch, 0);
      Version b = slot(ch, 1);
      if (a != null || b != null) {
        return a == null ? b : b == null ? a : a.seq() >= b.seq() ? a : b;
      }
      Thread.onSpinWait();
    }
    throw new IOException("heads file " + file + " is damaged: neither slot passes its checksum");
  }

  /**
   * Writes {@code heads} as the version after {@code current}, into the other slot, and syncs it.
   * Only call under the store lock.
   */
  static void write(FileChannel ch, Version current, Map<String, Address> heads) throws IOException {
    byte[] slot = encode(current.seq() + 1, heads);
    writeFully(ch, ByteBuffer.wrap(slot), (long) (1 - current.slot()) * SLOT_BYTES);
    ch.force(false);
  }

  private static Version slot(FileChannel ch, int slot) throws IOException {
    long base = (long) slot * SLOT_BYTES;
    ByteBuffer first = ByteBuffer.allocate(FIRST_READ);
    readFully(ch, first, base);
    byte[] bytes = first.array();
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    long seq = first.getLong(8);
    int length = first.getInt(16);
    int crc = first.getInt(20);
    if (length < 4 || length > SLOT_BYTES - HEADER) {
      return null;
    }
    if (HEADER + length > FIRST_READ) {
      ByteBuffer all = ByteBuffer.allocate(HEADER + length);
      readFully(ch, all, base);
      bytes = all.array();
    }
    CRC32C check = new CRC32C();
    check.update(bytes, 8, 12);
    check.update(bytes, HEADER, length);
    if ((int) check.getValue() != crc) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, HEADER, length);
    int count = in.getInt();
    Map<String, Address> heads = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      int len = Short.toUnsignedInt(in.getShort());
      String name = new String(bytes, in.position(), len, StandardCharsets.UTF_8);
      in.position(in.position() + len);
      byte[] raw = new byte[Address.LENGTH];
      in.get(raw);
      heads.put(name, Address.fromBytes(raw));
    }
    return new Version(seq, slot, heads);
  }

  static byte[] encode(long seq, Map<String, Address> heads) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(payload);
    out.writeInt(heads.size());
    for (Map.Entry<String, Address> e : heads.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      out.writeShort(name.length);
      out.write(name);
      out.write(e.getValue().toBytes());
    }
    byte[] body = payload.toByteArray();
    if (HEADER + body.length > SLOT_BYTES) {
      throw new IOException(
          "too many heads: " + heads.size() + " heads take " + body.length + " bytes, a heads slot holds "
              + (SLOT_BYTES - HEADER));
    }
    ByteBuffer slot = ByteBuffer.allocate(HEADER + body.length);
    slot.put(MAGIC).putLong(seq).putInt(body.length).putInt(0).put(body);
    byte[] bytes = slot.array();
    CRC32C crc = new CRC32C();
    crc.update(bytes, 8, 12);
    crc.update(bytes, HEADER, body.length);
    ByteBuffer.wrap(bytes).putInt(20, (int) crc.getValue());
    return bytes;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("heads file ends at " + pos + ", expected two slots of " + SLOT_BYTES + " bytes");
      }
      pos += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
    long pos = offset;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }
}
