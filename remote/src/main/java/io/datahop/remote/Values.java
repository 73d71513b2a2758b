package io.datahop.remote;

import io.datahop.wire.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * How one captured value or result is laid out inside a frame: a marker byte, then either the
 * codec's bytes ({@code 0}) or a {@link PeerId} ({@code 1}: 16 bytes of UUID and the UTF-8
 * name). PeerIds are this module's own type, which the codec in core does not know, and bodies
 * capture them all the time to hop on; any other type is the codec's business.
 */
final class Values {
  private static final byte CODEC = 0;
  private static final byte PEER_ID = 1;

  private Values() {}

  static byte[] encode(Object value, Codec codec) {
    if (value instanceof PeerId p) {
      byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(17 + name.length)
          .put(PEER_ID).putLong(p.uuid().getMostSignificantBits()).putLong(p.uuid().getLeastSignificantBits())
          .put(name).array();
    }
    byte[] body = codec.encode(value);
    byte[] out = new byte[body.length + 1];
    out[0] = CODEC;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  static Object decode(byte[] bytes, Codec codec) {
    if (bytes.length == 0) {
      throw FrameCodec.malformed("empty value", 0);
    }
    if (bytes[0] == CODEC) {
      byte[] body = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, body, 0, body.length);
      return codec.decode(body);
    }
    if (bytes[0] == PEER_ID && bytes.length >= 17) {
      ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      UUID uuid = new UUID(in.getLong(), in.getLong());
      return new PeerId(uuid, new String(bytes, 17, bytes.length - 17, StandardCharsets.UTF_8));
    }
    throw FrameCodec.malformed("unknown value marker " + bytes[0], 0);
  }
}
