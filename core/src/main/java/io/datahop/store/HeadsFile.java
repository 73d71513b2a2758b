package io.datahop.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The {@code heads} file of a file store: every head name with its address, checksummed. It is
 * only ever replaced whole ({@link Durable#replace}) under the store lock, so a reader without the
 * lock sees one complete version. Layout in {@code docs/format.md}, "File store layout".
 */
final class HeadsFile {
  private static final byte[] MAGIC = "DHHEADS1".getBytes(StandardCharsets.US_ASCII);

  private HeadsFile() {}

  /** The heads in {@code file}; empty when the file does not exist yet. */
  static Map<String, Address> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    }
    return decode(bytes, file);
  }

  static Map<String, Address> decode(byte[] bytes, Path file) throws IOException {
    if (bytes.length < MAGIC.length + 8 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("heads file " + file + " is not a datahop heads file");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
      throw new IOException("heads file " + file + " fails its checksum");
    }
    in.position(MAGIC.length);
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
    return heads;
  }

  static byte[] encode(Map<String, Address> heads) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(heads.size());
      for (Map.Entry<String, Address> e : heads.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        out.write(e.getValue().toBytes());
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new AssertionError("a byte array stream does not fail", e);
    }
  }
}
