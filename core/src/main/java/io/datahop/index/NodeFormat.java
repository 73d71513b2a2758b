package io.datahop.index;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import java.util.Map;

/**
 * The binary node format, version 1 (specified in docs/format.md, "B+tree nodes").
 *
 * <pre>
 * leaf:   B7 01 00 varint(n) keys...
 * branch: B7 01 01 varint(level) varint(n) n*32 address bytes, n*varint(subtree count), keys...
 * </pre>
 *
 * {@code keys} are written by the tree's {@link KeyCodec}: a leaf's keys, or a branch's per-child
 * max keys. Example: a leaf of the longs 1, 2, 300 is {@code b7 01 00 03 02 02 d4 04}.
 */
final class NodeFormat {
  static final int MAGIC = 0xB7;
  static final int VERSION = 1;
  static final int LEAF = 0;
  static final int BRANCH = 1;

  private NodeFormat() {}

  static void encode(Node node, KeyCodec<Object> codec, NodeOutput out) {
    out.writeByte(MAGIC);
    out.writeByte(VERSION);
    switch (node) {
      case Leaf leaf -> {
        out.writeByte(LEAF);
        out.writeVarInt(leaf.len());
        codec.encode(leaf.keys(), leaf.len(), out);
      }
      case Branch b -> {
        out.writeByte(BRANCH);
        out.writeVarInt(b.level());
        int n = b.len();
        out.writeVarInt(n);
        byte[] addr = new byte[Address.LENGTH];
        for (int i = 0; i < n; i++) {
          b.childAddress(i).copyTo(addr, 0);
          out.writeBytes(addr);
        }
        for (int i = 0; i < n; i++) {
          out.writeVarLong(b.childCount(i));
        }
        Object[] keys = new Object[n];
        for (int i = 0; i < n; i++) {
          keys[i] = b.key(i);
        }
        codec.encode(keys, n, out);
      }
    }
  }

  static Node decode(byte[] blob, Address address, KeyCodec<Object> codec) {
    NodeInput in = new NodeInput(blob);
    try {
      int magic = in.readByte();
      if (magic != MAGIC) {
        throw fault("index/not-a-node", "blob is not a tree node (first byte " + magic + ")", address);
      }
      int version = in.readByte();
      if (version != VERSION) {
        throw new DatahopException.Fault(
            "index/unknown-node-version",
            "tree node " + address + " has format version " + version
                + "; this build reads version " + VERSION,
            Map.of("address", address.hex(), "version", version),
            null);
      }
      int kind = in.readByte();
      Node node;
      if (kind == LEAF) {
        int n = in.readVarInt();
        checkCount(n, in, address);
        Object[] keys = new Object[n];
        codec.decode(in, n, keys);
        node = new Leaf(keys, n, null);
      } else if (kind == BRANCH) {
        int level = in.readVarInt();
        int n = in.readVarInt();
        checkCount(n, in, address);
        if (level < 1 || n < 1) {
          throw fault("index/bad-node", "branch with level " + level + " and " + n + " children", address);
        }
        byte[] raw = in.readBytes(n * Address.LENGTH);
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
          counts[i] = in.readVarLong();
        }
        Object[] keys = new Object[n];
        codec.decode(in, n, keys);
        node = new Branch(level, keys, new Object[n], counts, n, null, raw);
      } else {
        throw fault("index/bad-node", "unknown node kind " + kind, address);
      }
      if (in.remaining() != 0) {
        throw fault("index/bad-node", in.remaining() + " trailing bytes after the keys", address);
      }
      return node;
    } catch (DatahopException.Fault f) {
      if (f.context().containsKey("address")) {
        throw f;
      }
      throw new DatahopException.Fault(
          f.code(), "tree node " + address + ": " + f.getMessage(), Map.of("address", address.hex()), f);
    } catch (RuntimeException e) {
      throw new DatahopException.Fault(
          "index/bad-node",
          "tree node " + address + " could not be decoded: " + e,
          Map.of("address", address.hex()),
          e);
    }
  }

  private static void checkCount(int n, NodeInput in, Address address) {
    // each key takes at least one byte in any sane codec... except zero-byte keys; bound by a
    // generous absolute limit instead so a corrupt count cannot allocate gigabytes
    if (n > 1 << 20) {
      throw fault("index/bad-node", "node claims " + n + " entries", address);
    }
  }

  private static DatahopException.Fault fault(String code, String message, Address address) {
    return new DatahopException.Fault(
        code, "tree node " + address + ": " + message, Map.of("address", address.hex()), null);
  }
}
