package io.datahop.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * One append-only pack file of blob records and head records. Exactly one {@link FileStore}
 * instance (in one process) ever appends to a pack, and it never reopens it for appending after it
 * stops, so a torn record can only be the last one of a pack; every process reads every pack.
 *
 * <pre>
 * pack   = header record*
 * header = "DHPACK" 0x00 0x02                        (8 bytes: magic, format version 2; 1 is read too)
 * record = blob | head
 * blob   = "DHB" state  length:u32  address:32  crc:u32  data:length
 *          state '+' live, '-' deleted by gc; crc = CRC32C of length and address
 * head   = "DHH" state  length:u32  digest:32   crc:u32  payload:length
 *          state '+' a commit, '-' retracted (its force failed); digest = SHA-256 of payload
 * payload = seq:u64 range:u32 count:u32 (nameLength:u16 name:UTF-8 address:32){count}
 * </pre>
 *
 * <p>A head record is a commit: the complete set of heads, numbered, written after the blobs of
 * the commit and made durable with them by <em>one</em> {@code fdatasync}. Because one sync gives
 * no order between the pages it flushes, a power cut during it can leave the head record on the
 * disk but not the blobs before it; so {@code range} checksums every record written since the
 * previous head record of this pack ({@link #mix} of their CRC32Cs, state byte excluded since gc
 * changes it), and a head record whose range does not match is not a commit.
 *
 * <p>The writer keeps {@link #PREALLOC} bytes of zeros ahead of its appends: overwriting blocks
 * that already exist needs no metadata in the sync (measured: half the cost of a sync after an
 * append that grows the file). Scanners stop at the zeros (no record magic) like at a torn tail.
 *
 * <p>The writer gathers appended records in a {@link #WRITE_BUFFER} and writes them to the file
 * when it is full, before a sync, and before anything reads the file where they go: a big flush
 * appends thousands of nodes of a few KB, and one write call per node (with the channel's copy
 * into a direct buffer, its locks and the kernel's per-call work) cost ~10% of the flush. Records
 * not yet written were not durable either way: only a sync makes a commit.
 */
final class Pack {
  static final String SUFFIX = ".pack";
  static final int FILE_HEADER = 8;
  static final int RECORD_HEADER = 44;
  static final byte LIVE = '+';
  static final byte DEAD = '-';
  static final byte BLOB = 'B';
  static final byte HEAD = 'H';
  /** Zeros written ahead of the appends at a time. */
  static final int PREALLOC = 1 << 20;
  /** Appended records gathered before one write; a bigger record is written on its own. */
  static final int WRITE_BUFFER = 256 * 1024;
  private static final int SCAN_CHUNK = 256 * 1024;
  private static final byte[] MAGIC = {'D', 'H', 'P', 'A', 'C', 'K', 0, 2};
  private static final byte[] MAGIC_V1 = {'D', 'H', 'P', 'A', 'C', 'K', 0, 1};

  private final FileIo fs;
  private final Path path;
  private final boolean own;
  /** Appends of the owning writer; null for a pack of another writer. */
  private final FileChannel writer;
  private volatile FileChannel channel;
  private volatile boolean closed;
  /** Owner only: where the next record goes, how far zeros reach, and the range so far. */
  private long end = FILE_HEADER;
  private long allocated = FILE_HEADER;
  private int range;
  /**
   * Owner only: the records of {@code [flushed, end)}, appended but not yet written to the file
   * (guarded by itself). {@code flushed} is volatile so that readers can skip the lock when what
   * they read is in the file already.
   */
  private final byte[] unwritten;
  private int unwrittenLength;
  private volatile long flushed = FILE_HEADER;
  /**
   * A write, force or truncate of this pack failed (or its store stopped writing for another
   * failure): nothing is written to it any more, not even its buffered records, which are read
   * from the buffer. Written again, they could complete a head record after the store reported
   * that commit failed.
   */
  private boolean writeFailed;
  /** Scan state (packs of other writers): records before {@code scanned} were reported. */
  private long scanned = FILE_HEADER;
  /** Blob records reported since the last good head record: {offset, length, crc}. */
  private final List<long[]> pending = new ArrayList<>();

  private Pack(FileIo fs, Path path, FileChannel writer) throws IOException {
    this.fs = fs;
    this.path = path;
    this.writer = writer;
    this.own = writer != null;
    this.unwritten = own ? new byte[WRITE_BUFFER] : null;
    this.channel = fs.open(path, StandardOpenOption.READ);
  }

  /** Creates a new pack for this writer; the caller syncs the directory entry. */
  static Pack create(FileIo fs, Path path) throws IOException {
    FileChannel ch = fs.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      writeFully(ch, ByteBuffer.wrap(MAGIC), 0);
      return new Pack(fs, path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Opens a pack written by someone else, for reading. */
  static Pack openForeign(FileIo fs, Path path) throws IOException {
    return new Pack(fs, path, null);
  }

  Path path() {
    return path;
  }

  boolean own() {
    return own;
  }

  /**
   * Appends one blob record with a single gathering write and returns its offset. A failure
   * leaves at most a torn last record; the caller must then stop appending to this pack.
   */
  long append(Address address, byte[] buf, int off, int len) throws IOException {
    byte[] header = header(BLOB, LIVE, len, address.toBytes()).array();
    long offset = appendRecord(header, buf, off, len);
    range = mix(range, recordCrc(header, buf, off, len));
    return offset;
  }

  /**
   * Appends a head record (every head, version {@code seq}) closing the range of records written
   * since the previous one, and returns its offset. The caller forces the pack afterwards.
   */
  long appendHead(long seq, Map<String, Address> heads) throws IOException {
    byte[] payload = encodeHeads(seq, range, heads);
    byte[] header = header(HEAD, LIVE, payload.length, Address.of(payload).toBytes()).array();
    long offset = appendRecord(header, payload, 0, payload.length);
    range = 0;
    return offset;
  }

  /**
   * Adds a record to the write buffer (writing the buffer first when the record does not fit) and
   * returns its offset. After a failed write the pack refuses new records and writes nothing
   * more, so the file can be torn only after its last record.
   */
  private long appendRecord(byte[] header, byte[] body, int off, int len) throws IOException {
    synchronized (unwritten) {
      refuseAfterFailure();
      long offset = end;
      int size = RECORD_HEADER + len;
      if (unwrittenLength + size > unwritten.length) {
        writeBuffered();
      }
      if (size > unwritten.length) {
        try {
          allocateTo(offset + size);
          ByteBuffer[] both = {ByteBuffer.wrap(header), ByteBuffer.wrap(body, off, len)};
          writer.position(offset);
          while (both[0].hasRemaining() || both[1].hasRemaining()) {
            writer.write(both);
          }
        } catch (IOException | RuntimeException e) {
          writeFailed = true;
          throw e;
        }
        end = offset + size;
        flushed = end;
        return offset;
      }
      System.arraycopy(header, 0, unwritten, unwrittenLength, RECORD_HEADER);
      System.arraycopy(body, off, unwritten, unwrittenLength + RECORD_HEADER, len);
      unwrittenLength += size;
      end = offset + size;
      return offset;
    }
  }

  /** Writes the buffered records to the file (not synced); a no-op for other writers' packs. */
  void writeBuffered() throws IOException {
    if (!own) {
      return;
    }
    synchronized (unwritten) {
      if (unwrittenLength == 0) {
        return;
      }
      refuseAfterFailure();
      long at = end - unwrittenLength;
      try {
        allocateTo(end);
        writeFully(writer, ByteBuffer.wrap(unwritten, 0, unwrittenLength), at);
      } catch (IOException | RuntimeException e) {
        writeFailed = true;
        throw e;
      }
      unwrittenLength = 0;
      flushed = end;
    }
  }

  private void refuseAfterFailure() throws IOException {
    if (writeFailed) {
      throw new IOException("an earlier write, force or truncate of " + path + " failed; nothing more is written to it");
    }
  }

  /**
   * Stops all writing to this pack: its store met an I/O failure (here or elsewhere) and is
   * poisoned. Records still buffered stay readable from the buffer.
   */
  void stopWriting() {
    if (own) {
      synchronized (unwritten) {
        writeFailed = true;
      }
    }
  }

  /**
   * The bytes {@code [offset, offset + length)} when they are still in the write buffer (records
   * never straddle its start), else null: the file has them.
   */
  private byte[] buffered(long offset, int length) {
    if (!own || offset < flushed) {
      return null;
    }
    synchronized (unwritten) {
      long start = end - unwrittenLength;
      if (offset < start) {
        return null; // written out meanwhile
      }
      int from = (int) (offset - start);
      return Arrays.copyOfRange(unwritten, from, from + length);
    }
  }

  /** Zeros ahead up to at least {@code next}, in their own writes, so records never grow the file much. */
  private void allocateTo(long next) throws IOException {
    if (next <= allocated) {
      return;
    }
    long to = Math.max(next, allocated + PREALLOC);
    while (allocated < to) {
      ByteBuffer zeros = Zeros.BUFFER.duplicate();
      zeros.limit((int) Math.min(zeros.capacity(), to - allocated));
      writeFully(writer, zeros, allocated);
      allocated += zeros.limit();
    }
  }

  /** The file's size, after writing the buffer (unless writing stopped: reads must go on then). */
  long size() throws IOException {
    if (writing()) {
      writeBuffered();
    }
    return channel().size();
  }

  private boolean writing() {
    if (!own) {
      return false;
    }
    synchronized (unwritten) {
      return !writeFailed;
    }
  }

  /** Bytes of records appended by the owning writer so far. */
  long written() {
    return end;
  }

  /**
   * Flushes appended records to the device (data and the file size, not other metadata). Any
   * descriptor of the file will do, so this also works for other writers' packs.
   */
  void force() throws IOException {
    writeBuffered();
    try {
      channel().force(false);
    } catch (ClosedChannelException e) {
      throw e; // the pack was closed (compacted away): nothing failed
    } catch (IOException | RuntimeException e) {
      stopWriting();
      throw e;
    }
  }

  /**
   * Marks the complete head record at {@code offset} as retracted ({@code '-'}): its force failed,
   * so its commit was reported as failed and must not become anybody's head; other processes
   * building on it later (the record reached their page cache) would make it one. Best effort, and
   * only in the page cache (the pack takes no forces any more): after a power cut the record may
   * stand again, complete and valid, and readers may already have seen it; either way it is the
   * whole commit or none of it, and its seq counts as used, so no later commit gets it.
   */
  void retractHead(long offset) throws IOException {
    if (offset >= flushed) {
      return; // never left the buffer, so not in the file
    }
    writeFully(writer, ByteBuffer.wrap(new byte[] {DEAD}), offset + 3);
  }

  /** True when the head record at {@code offset} is there and not retracted. */
  boolean isLiveHead(long offset) throws IOException {
    byte[] m = buffered(offset, 4);
    if (m == null) {
      ByteBuffer marker = ByteBuffer.allocate(4);
      readFully(marker, offset);
      m = marker.array();
    }
    return m[0] == 'D' && m[1] == 'H' && m[2] == HEAD && m[3] == LIVE;
  }

  /**
   * Reads the data of the record at {@code offset}: null when the record was deleted, otherwise
   * the bytes, whose hash the caller checks. Throws when the header does not name {@code address}.
   */
  byte[] read(Address address, long offset, int length) throws IOException {
    byte[] all = buffered(offset, RECORD_HEADER + length);
    if (all == null) {
      ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + length);
      readFully(buf, offset);
      all = buf.array();
    }
    if (all[0] != 'D' || all[1] != 'H' || all[2] != BLOB || !Arrays.equals(all, 8, 40, address.toBytes(), 0, 32)) {
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
      byte[] m = buffered(offset, 4);
      if (m == null) {
        ByteBuffer marker = ByteBuffer.allocate(4);
        readFully(marker, offset);
        m = marker.array();
      }
      return m[0] == 'D' && m[1] == 'H' && m[2] == BLOB && m[3] == LIVE;
    } catch (IOException e) {
      return false;
    }
  }

  /** Marks the record at {@code offset} deleted, in place (one byte; not synced: gc may redo it). */
  void markDead(long offset) throws IOException {
    if (own) {
      synchronized (unwritten) {
        refuseAfterFailure();
        long start = end - unwrittenLength;
        if (offset >= start && offset < end) {
          unwritten[(int) (offset - start) + 3] = DEAD; // not written yet: mark it where it is
          return;
        }
      }
    }
    try (FileChannel w = fs.open(path, StandardOpenOption.WRITE)) {
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

    /**
     * A head record at {@code offset} whose range matched: version {@code seq} of every head, or,
     * when {@code retracted}, a commit whose force failed: its heads are no version, but its
     * {@code seq} is used.
     */
    default void head(Pack pack, long offset, long seq, Map<String, Address> heads, boolean retracted) {}
  }

  /** One parsed record: its kind, state, position, length, checksum, and payload (heads only). */
  private record Rec(byte kind, byte state, long offset, int length, byte[] key, int crc, byte[] payload) {}

  /**
   * Reports every complete record after the last scan and advances past them. Stops at the first
   * record that is not complete yet (a writer mid-append, the zeros ahead of it, or a torn tail of
   * a writer that died), and at a head record whose range does not match (a commit whose blobs
   * are not all there); the next scan retries from there.
   */
  synchronized void scan(Sink sink) throws IOException {
    if (scanned == FILE_HEADER && !checkMagic()) {
      return;
    }
    scanned = walk(scanned, pending, sink, true);
  }

  /**
   * Reports every head record of the pack again, from its start (blob records are not reported):
   * for a reader that must re-decide the newest heads after a head record it knew was retracted.
   */
  synchronized void scanHeads(Sink sink) throws IOException {
    if (checkMagic()) {
      walk(FILE_HEADER, new ArrayList<>(), sink, false);
    }
  }

  /** Walks records from {@code from} with {@code pending} as the open range; returns where it stopped. */
  private long walk(long from, List<long[]> pending, Sink sink, boolean blobs) throws IOException {
    long at = from;
    Walker w = new Walker(from);
    for (Rec r; (r = w.next()) != null; ) {
      if (r.kind() == BLOB) {
        pending.add(new long[] {r.offset(), r.length(), r.crc()});
        if (blobs) {
          sink.record(this, Address.fromBytes(r.key()), r.offset(), r.length(), r.state() == LIVE);
        }
      } else {
        int expected = ByteBuffer.wrap(r.payload()).getInt(8);
        if (rangeOf(pending, false) != expected && rangeOf(pending, true) != expected) {
          // the blobs before it were read while still being written, or never reached the disk
          w.stop();
          break;
        }
        pending.clear();
        long seq = ByteBuffer.wrap(r.payload()).getLong(0);
        sink.head(this, r.offset(), seq, decodeHeads(r.payload()), r.state() == DEAD);
      }
      at = r.offset() + RECORD_HEADER + r.length();
    }
    return at;
  }

  /** The range of the pending records; {@code reread}: recompute their CRCs from the file. */
  private int rangeOf(List<long[]> pending, boolean reread) throws IOException {
    int h = 0;
    for (long[] p : pending) {
      if (reread) {
        ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + (int) p[1]);
        readFully(buf, p[0]);
        byte[] all = buf.array();
        p[2] = recordCrc(all, all, RECORD_HEADER, (int) p[1]);
      }
      h = mix(h, (int) p[2]);
    }
    return h;
  }

  /** Sizes of a pack whose writer is gone: its file, and what compaction would drop of it. */
  record Stats(long bytes, long deadBytes) {}

  Stats stats() throws IOException {
    long size = size();
    long dead = 0;
    long endOfRecords = FILE_HEADER;
    if (checkMagic()) {
      Walker w = new Walker(FILE_HEADER);
      for (Rec r; (r = w.next()) != null; ) {
        if (r.kind() == HEAD || r.state() == DEAD) {
          // head records too: a compaction writes the current heads afresh
          dead += RECORD_HEADER + r.length();
        }
        endOfRecords = r.offset() + RECORD_HEADER + r.length();
      }
    }
    return new Stats(size, dead + (size - endOfRecords));
  }

  /** Receives the bytes of a live record. */
  interface DataSink {
    void record(Address address, byte[] data) throws IOException;
  }

  /** Reads every complete live blob record (for compaction; the data is not verified here). */
  void forEachLive(DataSink sink) throws IOException {
    List<Rec> live = new ArrayList<>();
    if (checkMagic()) {
      Walker w = new Walker(FILE_HEADER);
      for (Rec r; (r = w.next()) != null; ) {
        if (r.kind() == BLOB && r.state() == LIVE) {
          live.add(r);
        }
      }
    }
    for (Rec r : live) {
      Address address = Address.fromBytes(r.key());
      try {
        byte[] data = read(address, r.offset(), r.length());
        if (data != null) {
          sink.record(address, data);
        }
      } catch (BadRecord damaged) {
        // nothing sound to copy
      }
    }
  }

  /**
   * True when the pack starts with its header; false when it has no records yet: shorter than a
   * header, or a header that never reached the disk (zeros, or a torn prefix of the magic: a
   * writer created the pack and the power went before its first sync, so nothing in it was ever
   * durable). Anything else is not a pack.
   */
  private boolean checkMagic() throws IOException {
    if (size() < FILE_HEADER) {
      return false;
    }
    ByteBuffer magic = ByteBuffer.allocate(FILE_HEADER);
    readFully(magic, 0);
    byte[] m = magic.array();
    if (Arrays.equals(m, MAGIC) || Arrays.equals(m, MAGIC_V1)) {
      return true;
    }
    int prefix = 0;
    while (prefix < FILE_HEADER && m[prefix] == MAGIC[prefix]) {
      prefix++;
    }
    for (int i = prefix; i < FILE_HEADER; i++) {
      if (m[i] != 0) {
        throw new IOException(path + " is not a datahop pack (format 1 or 2)");
      }
    }
    return false;
  }

  /**
   * Parses complete records from a position on, reading the file in large chunks: opening a store
   * scans all its packs, and one read per record would cost a system call per blob. Every data
   * byte is read (for the CRCs that the head records' ranges check).
   *
   * <p>The file may shrink while a walk runs: a writer closing its pack cuts off the zeros it
   * wrote ahead of its appends. Bytes that are gone end the walk like an incomplete record.
   */
  private final class Walker {
    private final long size;
    private final ByteBuffer chunk;
    private long chunkStart;
    private int chunkLength;
    private long pos;
    private boolean stopped;

    Walker(long from) throws IOException {
      this.size = size();
      this.pos = from;
      this.chunk = ByteBuffer.allocate((int) Math.min(SCAN_CHUNK, Math.max(RECORD_HEADER, size - from)));
    }

    void stop() {
      stopped = true;
    }

    Rec next() throws IOException {
      try {
        return parse();
      } catch (Truncated gone) {
        stopped = true;
        return null;
      }
    }

    private Rec parse() throws IOException {
      if (stopped || pos + RECORD_HEADER > size) {
        return null;
      }
      byte[] h = new byte[RECORD_HEADER];
      copy(pos, h, 0, RECORD_HEADER);
      ByteBuffer header = ByteBuffer.wrap(h);
      int length = header.getInt(4);
      boolean blob = h[2] == BLOB && (h[3] == LIVE || h[3] == DEAD);
      boolean head = h[2] == HEAD && (h[3] == LIVE || h[3] == DEAD); // '-': retracted
      if (h[0] != 'D' || h[1] != 'H' || !(blob || head) || crc(h) != header.getInt(40) || length < 0
          || pos + RECORD_HEADER + length > size) {
        return null;
      }
      byte[] key = Arrays.copyOfRange(h, 8, 40);
      long offset = pos;
      Rec rec;
      if (head) {
        byte[] payload = new byte[length];
        copy(offset + RECORD_HEADER, payload, 0, length);
        if (length < 16 || !Address.fromBytes(key).matches(payload)) {
          return null;
        }
        rec = new Rec(HEAD, h[3], offset, length, key, 0, payload);
      } else {
        CRC32C crc = new CRC32C();
        crc.update(h, 4, RECORD_HEADER - 4);
        long at = offset + RECORD_HEADER;
        long stop = at + length;
        while (at < stop) {
          ensure(at, 1);
          int n = (int) Math.min(stop - at, chunkStart + chunkLength - at);
          crc.update(chunk.array(), (int) (at - chunkStart), n);
          at += n;
        }
        rec = new Rec(BLOB, h[3], offset, length, key, (int) crc.getValue(), null);
      }
      pos = offset + RECORD_HEADER + length;
      return rec;
    }

    private void copy(long at, byte[] dst, int off, int n) throws IOException {
      while (n > 0) {
        ensure(at, Math.min(n, chunk.capacity()));
        int k = (int) Math.min(n, chunkStart + chunkLength - at);
        System.arraycopy(chunk.array(), (int) (at - chunkStart), dst, off, k);
        at += k;
        off += k;
        n -= k;
      }
    }

    /** Makes the chunk hold {@code n} bytes from {@code at} (n at most the chunk size). */
    private void ensure(long at, int n) throws IOException {
      if (at >= chunkStart && at + n <= chunkStart + chunkLength) {
        return;
      }
      chunk.clear();
      chunk.limit((int) Math.min(chunk.capacity(), size - at));
      chunkLength = readAvailable(chunk, at); // short when the file was cut since the walk began
      chunkStart = at;
      if (chunkLength < n) {
        throw new Truncated();
      }
    }
  }

  /** A walk reached bytes that a truncation removed after it began. */
  private static final class Truncated extends IOException {
    Truncated() {
      super("the pack was truncated during a scan");
    }
  }

  /**
   * Closes the pack; the owner first writes its buffer and cuts off the zeros ahead of its
   * appends, unless writing stopped after a failure (then the zeros stay, harmlessly). Both
   * channels are closed whatever fails.
   */
  void close() throws IOException {
    closed = true;
    try (FileChannel reads = channel; FileChannel appends = writer) {
      if (appends != null && appends.isOpen()) {
        boolean write;
        synchronized (unwritten) {
          write = !writeFailed;
        }
        if (write) {
          try {
            writeBuffered();
            appends.truncate(end);
          } catch (IOException | RuntimeException e) {
            stopWriting();
            throw e;
          }
        }
      }
    }
  }

  static int mix(int range, int recordCrc) {
    return range * 0x9E3779B1 + recordCrc;
  }

  /** CRC32C of a record without its first four bytes (magic and the state byte gc changes). */
  private static int recordCrc(byte[] header, byte[] data, int off, int length) {
    CRC32C crc = new CRC32C();
    crc.update(header, 4, RECORD_HEADER - 4);
    crc.update(data, off, length);
    return (int) crc.getValue();
  }

  static byte[] encodeHeads(long seq, int range, Map<String, Address> heads) {
    int size = 16;
    List<byte[]> names = new ArrayList<>(heads.size());
    for (String name : heads.keySet()) {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      names.add(n);
      size += 2 + n.length + Address.LENGTH;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putLong(seq).putInt(range).putInt(heads.size());
    int i = 0;
    for (Address a : heads.values()) {
      byte[] n = names.get(i++);
      out.putShort((short) n.length).put(n).put(a.toBytes());
    }
    return out.array();
  }

  static Map<String, Address> decodeHeads(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    in.position(12);
    int count = in.getInt();
    Map<String, Address> heads = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      int len = Short.toUnsignedInt(in.getShort());
      String name = new String(payload, in.position(), len, StandardCharsets.UTF_8);
      in.position(in.position() + len);
      byte[] raw = new byte[Address.LENGTH];
      in.get(raw);
      heads.put(name, Address.fromBytes(raw));
    }
    return heads;
  }

  private static ByteBuffer header(byte kind, byte state, int length, byte[] key) {
    byte[] h = new byte[RECORD_HEADER];
    h[0] = 'D';
    h[1] = 'H';
    h[2] = kind;
    h[3] = state;
    ByteBuffer buf = ByteBuffer.wrap(h);
    buf.putInt(4, length);
    System.arraycopy(key, 0, h, 8, 32);
    buf.putInt(40, crc(h));
    return buf;
  }

  private static int crc(byte[] header) {
    CRC32C crc = new CRC32C();
    crc.update(header, 4, 36);
    return (int) crc.getValue();
  }

  /**
   * {@link #PREALLOC} zero bytes off the heap, shared read-only by every writer: a big import
   * writes as many zeros as records, and a fresh heap buffer for each megabyte cost a zeroed
   * allocation plus the channel's copy of it into a direct buffer.
   */
  private static final class Zeros {
    static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(PREALLOC).asReadOnlyBuffer();
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
    long pos = offset;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  private void readFully(ByteBuffer buf, long offset) throws IOException {
    int got = readAvailable(buf, offset);
    if (buf.hasRemaining()) {
      throw new IOException("unexpected end of " + path + " at " + (offset + got));
    }
  }

  /** Fills {@code buf} from {@code offset} or up to the end of the file; returns the bytes read. */
  private int readAvailable(ByteBuffer buf, long offset) throws IOException {
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = channel().read(buf, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return (int) (pos - offset);
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
        channel = fs.open(path, StandardOpenOption.READ);
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
