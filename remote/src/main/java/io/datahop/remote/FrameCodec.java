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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lays out one {@link Message} as the bytes of one binary WebSocket frame, and reads it back.
 * The layout is a type byte followed by the record's fields in order, big-endian: {@code long}s
 * as 8 bytes, {@code int}s as 4, strings and byte arrays as a 4-byte length and the bytes (UTF-8
 * for strings). A {@link Message.Call}'s args are a 1-byte count and that many byte arrays.
 *
 * <p>Example: {@code Cancel(7)} is {@code 09 00 00 00 00 00 00 00 07}.
 *
 * <p>The lambda identity of a call (eight strings, an int and the fingerprint, about 230 bytes) is
 * the same for every call of one body, so both sides keep it ready: the sender its encoding, the
 * receiver the {@link LambdaRef} decoded from those exact bytes (at most {@link #CACHED_REFS} of
 * each, so strangers cannot grow them). A call then costs a lookup instead of encoding and
 * decoding eight strings.
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
  /** Lambda identities kept encoded (sender) and decoded (receiver), each. */
  static final int CACHED_REFS = 1024;

  private static final Map<LambdaRef, byte[]> ENCODED_REFS = new ConcurrentHashMap<>();
  private static final Map<RefBytes, LambdaRef> DECODED_REFS = new ConcurrentHashMap<>();

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
        out.b(CALL).l(c.id()).l(c.deadlineMillis()).raw(encoded(c.lambda()));
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

  private static byte[] encoded(LambdaRef f) {
    byte[] known = ENCODED_REFS.get(f);
    if (known != null) {
      return known;
    }
    Out out = new Out();
    out.s(f.capturingClass()).s(f.functionalInterfaceClass()).s(f.functionalInterfaceMethodName());
    out.s(f.functionalInterfaceMethodSignature()).i(f.implMethodKind()).s(f.implClass());
    out.s(f.implMethodName()).s(f.implMethodSignature()).s(f.instantiatedMethodType());
    out.bytes(f.fingerprint());
    byte[] bytes = out.toByteArray();
    if (ENCODED_REFS.size() < CACHED_REFS) {
      ENCODED_REFS.put(f, bytes);
    }
    return bytes;
  }

  /** The lambda identity at {@code in}'s position: the one decoded from the same bytes before, or a new one. */
  private static LambdaRef lambdaRef(ByteBuffer in) {
    int start = in.position();
    int end = refEnd(in);
    RefBytes key = new RefBytes(in.array(), in.arrayOffset() + start, end - start);
    LambdaRef known = DECODED_REFS.get(key);
    if (known != null) {
      in.position(end);
      return known;
    }
    LambdaRef f = new LambdaRef(str(in), str(in), str(in), str(in), in.getInt(), str(in), str(in), str(in), str(in),
        bytes(in, MAX_SMALL_BYTES));
    if (DECODED_REFS.size() < CACHED_REFS) {
      DECODED_REFS.put(key.copy(), f);
    }
    return f;
  }

  /** Where the lambda identity starting at {@code in}'s position ends; checks every length on the way. */
  private static int refEnd(ByteBuffer in) {
    int p = in.position();
    for (int field = 0; field < 10; field++) {
      if (field == 4) {
        p += 4; // implMethodKind
        continue;
      }
      if (p + 4 > in.limit()) {
        throw malformed("frame ends early", p);
      }
      int n = in.getInt(p);
      int max = field == 9 ? MAX_SMALL_BYTES : MAX_STRING;
      if (n < 0 || n > max || n > in.limit() - p - 4) {
        throw malformed((field == 9 ? "byte string" : "string") + " of length " + n + " (limit " + Math.min(max, in.limit() - p - 4) + ")", p);
      }
      p += 4 + n;
    }
    return p;
  }

  /** A range of bytes compared by content: the key of a decoded lambda identity. */
  private record RefBytes(byte[] array, int offset, int length) {
    RefBytes copy() {
      return new RefBytes(Arrays.copyOfRange(array, offset, offset + length), 0, length);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RefBytes r
          && Arrays.equals(array, offset, offset + length, r.array, r.offset, r.offset + r.length);
    }

    /** The length and the last 48 bytes (the fingerprint's tail and more): enough to spread, cheap to compute. */
    @Override
    public int hashCode() {
      int h = length;
      for (int i = Math.max(offset, offset + length - 48); i < offset + length; i++) {
        h = 31 * h + array[i];
      }
      return h;
    }
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
        LambdaRef f = lambdaRef(in);
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

    Out raw(byte[] v) {
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
