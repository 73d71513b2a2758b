package io.datahop.remote;

import io.datahop.DatahopException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lays out one {@link Message} as the bytes of one binary WebSocket frame, and reads it back.
 * The layout is a type byte followed by the record's fields in order, big-endian: {@code long}s
 * as 8 bytes, {@code int}s as 4, strings and byte arrays as a 4-byte length and the bytes (UTF-8
 * for strings). A {@link Message.Call}'s args are a 1-byte count and that many byte arrays.
 *
 * <p>Example: {@code Cancel(7)} is {@code 09 00 00 00 00 00 00 00 07}.
 *
 * <p>Reading is hostile-input safe: every length is checked against what remains and against
 * fixed bounds before anything is allocated, and any malformed frame ends in one
 * {@link DatahopException.Incorrect} with code {@code remote/malformed-frame}.
 */
final class FrameCodec {
  /** Largest frame either side accepts (also the WebSocket decoder's limit). */
  static final int MAX_FRAME = 16 << 20;

  private static final int MAX_STRING = 1 << 20;
  private static final int MAX_SMALL_BYTES = 256;
  private static final int MAX_ARGS = 255;

  private static final byte HELLO = 1;
  private static final byte AUTH = 2;
  private static final byte WELCOME = 3;
  private static final byte REJECT = 4;
  private static final byte CALL = 5;
  private static final byte RESULT = 6;
  private static final byte FAILURE = 7;
  private static final byte REFUSED = 8;
  private static final byte CANCEL = 9;
  private static final byte PING = 10;
  private static final byte PONG = 11;

  private FrameCodec() {}

  static byte[] encode(Message message) {
    Out out = new Out();
    switch (message) {
      case Message.Hello h -> {
        out.b(HELLO).i(h.protocol()).l(h.peer().getMostSignificantBits()).l(h.peer().getLeastSignificantBits());
        out.s(h.name()).s(h.build()).bytes(h.nonce());
      }
      case Message.Auth a -> out.b(AUTH).bytes(a.proof());
      case Message.Welcome w -> out.b(WELCOME).s(w.principal() == null ? "" : w.principal());
      case Message.Reject r -> out.b(REJECT).s(r.code()).s(r.message());
      case Message.Call c -> {
        out.b(CALL).l(c.id()).l(c.deadlineMillis());
        LambdaRef f = c.lambda();
        out.s(f.capturingClass()).s(f.functionalInterfaceClass()).s(f.functionalInterfaceMethodName());
        out.s(f.functionalInterfaceMethodSignature()).i(f.implMethodKind()).s(f.implClass());
        out.s(f.implMethodName()).s(f.implMethodSignature()).s(f.instantiatedMethodType());
        out.bytes(f.fingerprint());
        if (c.args().size() > MAX_ARGS) {
          throw new IllegalArgumentException("too many captured values: " + c.args().size());
        }
        out.b((byte) c.args().size());
        for (byte[] arg : c.args()) {
          out.bytes(arg);
        }
      }
      case Message.Result r -> out.b(RESULT).l(r.id()).bytes(r.value());
      case Message.Failure f -> out.b(FAILURE).l(f.id()).bytes(f.error());
      case Message.Refused r -> out.b(REFUSED).l(r.id()).s(r.category()).s(r.code()).s(r.message());
      case Message.Cancel c -> out.b(CANCEL).l(c.id());
      case Message.Ping p -> out.b(PING).l(p.nonce());
      case Message.Pong p -> out.b(PONG).l(p.nonce());
    }
    return out.toByteArray();
  }

  static Message decode(byte[] frame) {
    if (frame.length > MAX_FRAME) {
      throw malformed("frame of " + frame.length + " bytes exceeds the limit of " + MAX_FRAME, 0);
    }
    ByteBuffer in = ByteBuffer.wrap(frame);
    try {
      Message m = read(in);
      if (in.hasRemaining()) {
        throw malformed(in.remaining() + " unexpected trailing bytes", in.position());
      }
      return m;
    } catch (BufferUnderflowException e) {
      throw malformed("frame ends early", in.position());
    }
  }

  private static Message read(ByteBuffer in) {
    if (!in.hasRemaining()) {
      throw malformed("empty frame", 0);
    }
    byte type = in.get();
    return switch (type) {
      case HELLO -> new Message.Hello(in.getInt(), new UUID(in.getLong(), in.getLong()), str(in), str(in), bytes(in, MAX_SMALL_BYTES));
      case AUTH -> new Message.Auth(bytes(in, MAX_SMALL_BYTES));
      case WELCOME -> {
        String p = str(in);
        yield new Message.Welcome(p.isEmpty() ? null : p);
      }
      case REJECT -> new Message.Reject(str(in), str(in));
      case CALL -> {
        long id = in.getLong();
        long deadline = in.getLong();
        LambdaRef f = new LambdaRef(str(in), str(in), str(in), str(in), in.getInt(), str(in), str(in), str(in), str(in),
            bytes(in, MAX_SMALL_BYTES));
        int n = in.get() & 0xff;
        List<byte[]> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          args.add(bytes(in, MAX_FRAME));
        }
        yield new Message.Call(id, deadline, f, List.copyOf(args));
      }
      case RESULT -> new Message.Result(in.getLong(), bytes(in, MAX_FRAME));
      case FAILURE -> new Message.Failure(in.getLong(), bytes(in, MAX_FRAME));
      case REFUSED -> new Message.Refused(in.getLong(), str(in), str(in), str(in));
      case CANCEL -> new Message.Cancel(in.getLong());
      case PING -> new Message.Ping(in.getLong());
      case PONG -> new Message.Pong(in.getLong());
      default -> throw malformed("unknown message type " + type, 0);
    };
  }

  private static byte[] bytes(ByteBuffer in, int max) {
    int at = in.position();
    int n = in.getInt();
    if (n < 0 || n > max || n > in.remaining()) {
      throw malformed("byte string of length " + n + " (limit " + Math.min(max, in.remaining()) + ")", at);
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static String str(ByteBuffer in) {
    int at = in.position();
    int n = in.getInt();
    if (n < 0 || n > MAX_STRING || n > in.remaining()) {
      throw malformed("string of length " + n + " (limit " + Math.min(MAX_STRING, in.remaining()) + ")", at);
    }
    // invalid UTF-8 becomes U+FFFD: such a name matches no class and no code, so it is refused later
    String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  static DatahopException.Incorrect malformed(String what, int offset) {
    return new DatahopException.Incorrect(
        "remote/malformed-frame", "malformed frame: " + what + " (at byte " + offset + ")", Map.of("offset", offset), null);
  }

  /** A growable big-endian writer; unsynchronised, unlike ByteArrayOutputStream. */
  private static final class Out {
    private byte[] buf = new byte[256];
    private int size;

    private void room(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    Out b(byte v) {
      room(1);
      buf[size++] = v;
      return this;
    }

    Out i(int v) {
      room(4);
      buf[size++] = (byte) (v >>> 24);
      buf[size++] = (byte) (v >>> 16);
      buf[size++] = (byte) (v >>> 8);
      buf[size++] = (byte) v;
      return this;
    }

    Out l(long v) {
      return i((int) (v >>> 32)).i((int) v);
    }

    Out bytes(byte[] v) {
      i(v.length);
      room(v.length);
      System.arraycopy(v, 0, buf, size, v.length);
      size += v.length;
      return this;
    }

    Out s(String v) {
      return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }
}
