package io.datahop.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One append-only pack file of blob records. Exactly one {@link FileStore} instance (in one
 * process) ever appends to a pack, and it never reopens it for appending after it stops, so a torn
 * record can only be the last one of a pack; every process reads every pack.
 *
 * <pre>
 * pack   = header record*
 * header = "DHPACK" 0x00 0x01                        (8 bytes: magic, format version 1)
 * record = "DHB" state  length:u32  address:32  crc:u32  data:length
 *          state '+' live, '-' deleted by gc; crc = CRC32C of length and address
 * </pre>
 *
 * <p>The header checksum lets a scanner tell a complete header from garbage at a torn tail; the
 * data needs none, since the address is its SHA-256 and every read checks it.
 */
final class Pack {
  static final String SUFFIX = ".pack";
  static final int FILE_HEADER = 8;
  static final int RECORD_HEADER = 44;
  static final byte LIVE = '+';
  static final byte DEAD = '-';
  private static final int SCAN_CHUNK = 256 * 1024;
  private static final byte[] MAGIC = {'D', 'H', 'P', 'A', 'C', 'K', 0, 1};

  private final Path path;
  private final boolean own;
  /** Appends of the owning writer; null for a pack of another writer. */
  private final FileChannel writer;
  private volatile FileChannel channel;
  private volatile boolean closed;
  /** Scan position: records before it are in the index (only for packs of other writers). */
  private long scanned = FILE_HEADER;

  private Pack(Path path, FileChannel writer) throws IOException {
    this.path = path;
    this.writer = writer;
    this.own = writer != null;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
  }

  /** Creates a new pack for this writer; the caller syncs the directory entry. */
  static Pack create(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.wrap(MAGIC);
      while (header.hasRemaining()) {
        ch.write(header);
      }
      return new Pack(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Opens a pack written by someone else, for reading. */
  static Pack openForeign(Path path) throws IOException {
    return new Pack(path, null);
  }

  Path path() {
    return path;
  }

  boolean own() {
    return own;
  }

  /**
   * Appends one record with a single gathering write and returns its offset. A failure leaves at
   * most a torn last record; the caller must then stop appending to this pack.
   */
  long append(Address address, byte[] blob) throws IOException {
    FileChannel ch = writer;
    long offset = ch.position();
    ByteBuffer header = header(LIVE, blob.length, address);
    ByteBuffer data = ByteBuffer.wrap(blob);
    ByteBuffer[] both = {header, data};
    while (header.hasRemaining() || data.hasRemaining()) {
      ch.write(both);
    }
    return offset;
  }

  long size() throws IOException {
    return channel().size();
  }

  /** Bytes appended by the owning writer so far. */
  long written() throws IOException {
    return writer.position();
  }

  /**
   * Flushes appended records to the device (data and the file size, not other metadata). Any
   * descriptor of the file will do, so this also works for other writers' packs.
   */
  void force() throws IOException {
    channel().force(false);
  }

  /**
   * Reads the data of the record at {@code offset}: null when the record was deleted, otherwise
   * the bytes, whose hash the caller checks. Throws when the header does not name {@code address}.
   */
  byte[] read(Address address, long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + length);
    readFully(buf, offset);
    byte[] all = buf.array();
    if (all[0] != 'D' || all[1] != 'H' || all[2] != 'B' || !Arrays.equals(all, 8, 40, address.toBytes(), 0, 32)) {
      throw new BadRecord("no record of " + address + " at offset " + offset + " of " + path);
    }
    if (all[3] == DEAD) {
      return null;
    }
    return Arrays.copyOfRange(all, RECORD_HEADER, all.length);
  }

  /** True when the record at {@code offset} is still there and not deleted; false when unsure. */
  boolean isLive(long offset) {
    try {
      ByteBuffer marker = ByteBuffer.allocate(4);
      readFully(marker, offset);
      byte[] m = marker.array();
      return m[0] == 'D' && m[1] == 'H' && m[2] == 'B' && m[3] == LIVE;
    } catch (IOException e) {
      return false;
    }
  }

  /** Marks the record at {@code offset} deleted, in place (one byte; not synced: gc may redo it). */
  void markDead(long offset) throws IOException {
    try (FileChannel w = FileChannel.open(path, StandardOpenOption.WRITE)) {
      w.write(ByteBuffer.wrap(new byte[] {DEAD}), offset + 3);
    } catch (java.nio.file.NoSuchFileException compacted) {
      // the pack is gone; its live records were copied, and gc will find the copy dead again
    }
  }

  /** The bytes where a record should be are not that record's header. */
  static final class BadRecord extends IOException {
    BadRecord(String message) {
      super(message);
    }
  }

  /** Receives the records a scan finds. */
  interface Sink {
    void record(Pack pack, Address address, long offset, int length, boolean live);
  }

  /**
   * Reports every complete record after the last scan and advances past them. Stops at the first
   * record that is not complete yet (a writer mid-append, or a torn tail of a writer that died);
   * the next scan retries from there.
   */
  synchronized void scan(Sink sink) throws IOException {
    if (scanned == FILE_HEADER && !checkMagic()) {
      return;
    }
    scanned = walk(scanned, sink);
  }

  /** Sizes of a pack whose writer is gone: its file, and the deleted records in it. */
  record Stats(long bytes, long deadBytes) {}

  Stats stats() throws IOException {
    long[] dead = {0};
    if (checkMagic()) {
      walk(FILE_HEADER, (pack, address, offset, length, live) -> {
        if (!live) {
          dead[0] += RECORD_HEADER + length;
        }
      });
    }
    return new Stats(size(), dead[0]);
  }

  /** Receives the bytes of a live record. */
  interface DataSink {
    void record(Address address, byte[] data) throws IOException;
  }

  /** Reads every complete live record (for compaction; the data is not verified here). */
  void forEachLive(DataSink sink) throws IOException {
    List<long[]> live = new ArrayList<>();
    List<Address> addresses = new ArrayList<>();
    walk(FILE_HEADER, (pack, address, offset, length, isLive) -> {
      if (isLive) {
        live.add(new long[] {offset, length});
        addresses.add(address);
      }
    });
    for (int i = 0; i < live.size(); i++) {
      try {
        byte[] data = read(addresses.get(i), live.get(i)[0], (int) live.get(i)[1]);
        if (data != null) {
          sink.record(addresses.get(i), data);
        }
      } catch (BadRecord damaged) {
        // nothing sound to copy
      }
    }
  }

  private boolean checkMagic() throws IOException {
    if (size() < FILE_HEADER) {
      return false;
    }
    ByteBuffer magic = ByteBuffer.allocate(FILE_HEADER);
    readFully(magic, 0);
    if (!Arrays.equals(magic.array(), MAGIC)) {
      throw new IOException(path + " is not a datahop pack (format 1)");
    }
    return true;
  }

  /**
   * Reports the complete records from {@code from} on and returns where they end. Reads the file
   * in large chunks and parses every header that falls inside one: opening a store scans all its
   * packs, and one read per record would cost a system call per blob.
   */
  private long walk(long from, Sink sink) throws IOException {
    long size = size();
    long pos = from;
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(SCAN_CHUNK, Math.max(RECORD_HEADER, size - from)));
    long chunkStart = 0;
    int chunkLength = 0;
    byte[] h = new byte[RECORD_HEADER];
    while (pos + RECORD_HEADER <= size) {
      if (pos < chunkStart || pos + RECORD_HEADER > chunkStart + chunkLength) {
        chunk.clear();
        chunk.limit((int) Math.min(chunk.capacity(), size - pos));
        readFully(chunk, pos);
        chunkStart = pos;
        chunkLength = chunk.limit();
      }
      System.arraycopy(chunk.array(), (int) (pos - chunkStart), h, 0, RECORD_HEADER);
      ByteBuffer header = ByteBuffer.wrap(h);
      int length = header.getInt(4);
      if (h[0] != 'D' || h[1] != 'H' || h[2] != 'B' || (h[3] != LIVE && h[3] != DEAD)
          || crc(h) != header.getInt(40) || length < 0) {
        break;
      }
      if (pos + RECORD_HEADER + length > size) {
        break;
      }
      sink.record(this, Address.fromBytes(Arrays.copyOfRange(h, 8, 40)), pos, length, h[3] == LIVE);
      pos += RECORD_HEADER + length;
    }
    return pos;
  }


  void close() throws IOException {
    closed = true;
    try {
      if (writer != null) {
        writer.close();
      }
    } finally {
      channel.close();
    }
  }

  private static ByteBuffer header(byte state, int length, Address address) {
    byte[] h = new byte[RECORD_HEADER];
    h[0] = 'D';
    h[1] = 'H';
    h[2] = 'B';
    h[3] = state;
    ByteBuffer buf = ByteBuffer.wrap(h);
    buf.putInt(4, length);
    address.copyTo(h, 8);
    buf.putInt(40, crc(h));
    return buf;
  }

  private static int crc(byte[] header) {
    CRC32C crc = new CRC32C();
    crc.update(header, 4, 36);
    return (int) crc.getValue();
  }

  private void readFully(ByteBuffer buf, long offset) throws IOException {
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = channel().read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of " + path + " at " + pos);
      }
      pos += n;
    }
  }

  /**
   * The read channel, reopened when an interrupt of some other thread closed it: NIO closes a
   * channel for everyone when one reader is interrupted, and a cancelled query must not break
   * the store for the rest of the process. (Hence also a separate channel for appends.)
   */
  private FileChannel channel() throws IOException {
    FileChannel ch = channel;
    if (ch.isOpen()) {
      return ch;
    }
    if (closed) {
      throw new ClosedChannelException();
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new ClosedByInterruptException();
    }
    synchronized (this) {
      if (!channel.isOpen()) {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      }
      return channel;
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString() + (own ? " (own)" : "");
  }

  static String name(String hexId) {
    return hexId + SUFFIX;
  }

  static boolean isPack(Path file) {
    return file.getFileName().toString().endsWith(SUFFIX);
  }

}
