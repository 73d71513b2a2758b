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
 * the same for every call of one body, so both sides keep it ready: the sender its encoding (at
 * most {@link #CACHED_REFS}, of bodies this process sent), the receiver the {@link LambdaRef}
 * decoded from those exact bytes, in the connection's {@link BodyCache} once a call of it was
 * accepted. A call then costs a lookup instead of encoding and decoding eight strings.
 *
 * <p>Reading is hostile-input safe: every length is checked against what remains and against
 * fixed bounds before anything is allocated, and any malformed frame ends in one
 * {@link DatahopException.Incorrect} with code {@code remote/malformed-frame}.
 */
final class FrameCodec {
  /** Largest message either side accepts (the frame aggregator's limit). */
  static final int MAX_FRAME = 16 << 20;
  /**
   * Largest WebSocket fragment either side sends or accepts (the decoder's limit): a larger
   * message travels as continuation fragments, so the decoder never buffers more than this per
   * connection and each fragment is counted by {@link FrameGate} before it is kept.
   */
  static final int MAX_FRAGMENT = 64 << 10;

  /** Peer names, builds, class and method names: identities, never long. */
  static final int MAX_IDENTITY = 1 << 10;
  /** Method signatures and types: a body capturing many values has a long one. */
  static final int MAX_SIGNATURE = 8 << 10;
  /** The text of a refusal or rejection. */
  private static final int MAX_TEXT = 64 << 10;
  private static final int MAX_SMALL_BYTES = 256;
  private static final int MAX_ARGS = 255;
  /** Lambda identities kept encoded by the sender. */
  static final int CACHED_REFS = 1024;
  /** The limit of each field of a lambda identity, in order (the fifth is the int kind). */
  private static final int[] REF_LIMITS = {
      MAX_IDENTITY, MAX_IDENTITY, MAX_IDENTITY, MAX_SIGNATURE, 0, MAX_IDENTITY, MAX_IDENTITY, MAX_SIGNATURE, MAX_SIGNATURE, MAX_SMALL_BYTES};

  /** Bodies this process sends: filled by its own calls only, so bounded by its code. */
  private static final Map<LambdaRef, byte[]> ENCODED_REFS = new ConcurrentHashMap<>();

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

  /** The message type of {@code frame}, for {@link Link#admits} before anything is decoded. */
  static byte type(byte[] frame) {
    return frame.length == 0 ? 0 : frame[0];
  }

  /** True for the messages of the handshake, the only ones decoded before it completed. */
  static boolean isHandshake(byte type) {
    return type == HELLO || type == AUTH || type == WELCOME || type == REJECT;
  }

  private static byte[] encoded(LambdaRef f) {
    byte[] known = ENCODED_REFS.get(f);
    if (known != null) {
      return known;
    }
    byte[] bytes = identity(f);
    if (ENCODED_REFS.size() < CACHED_REFS) {
      ENCODED_REFS.put(f, bytes);
    }
    return bytes;
  }

  /** The bytes of {@code f} as a call lays them out. */
  static byte[] identity(LambdaRef f) {
    Out out = new Out();
    out.s(f.capturingClass()).s(f.functionalInterfaceClass()).s(f.functionalInterfaceMethodName());
    out.s(f.functionalInterfaceMethodSignature()).i(f.implMethodKind()).s(f.implClass());
    out.s(f.implMethodName()).s(f.implMethodSignature()).s(f.instantiatedMethodType());
    out.bytes(f.fingerprint());
    return out.toByteArray();
  }

  /**
   * The lambda identity at {@code in}'s position: the one {@code accepted} decoded from the same
   * bytes before (null: none), or a new one.
   */
  private static LambdaRef lambdaRef(ByteBuffer in, BodyCache accepted) {
    int start = in.position();
    int end = refEnd(in);
    LambdaRef known = accepted == null ? null : accepted.ref(in.array(), in.arrayOffset() + start, end - start);
    if (known != null) {
      in.position(end);
      return known;
    }
    return new LambdaRef(str(in, MAX_IDENTITY), str(in, MAX_IDENTITY), str(in, MAX_IDENTITY), str(in, MAX_SIGNATURE), in.getInt(),
        str(in, MAX_IDENTITY), str(in, MAX_IDENTITY), str(in, MAX_SIGNATURE), str(in, MAX_SIGNATURE), bytes(in, MAX_SMALL_BYTES));
  }

  /** Where the lambda identity starting at {@code in}'s position ends; checks every length on the way. */
  private static int refEnd(ByteBuffer in) {
    int p = in.position();
    for (int field = 0; field < REF_LIMITS.length; field++) {
      if (field == 4) {
        p += 4; // implMethodKind
        continue;
      }
      if (p + 4 > in.limit()) {
        throw malformed("frame ends early", p);
      }
      int n = in.getInt(p);
      int max = REF_LIMITS[field];
      if (n < 0 || n > max || n > in.limit() - p - 4) {
        throw malformed((field == 9 ? "byte string" : "string") + " of length " + n + " (limit " + Math.min(max, in.limit() - p - 4) + ")", p);
      }
      p += 4 + n;
    }
    return p;
  }

  /** Reads one frame without a connection's cache of accepted bodies. */
  static Message decode(byte[] frame) {
    return decode(frame, null);
  }

  /** Reads one frame; a call's identity is looked up in {@code accepted} (may be null) first. */
  static Message decode(byte[] frame, BodyCache accepted) {
    if (frame.length > MAX_FRAME) {
      throw malformed("frame of " + frame.length + " bytes exceeds the limit of " + MAX_FRAME, 0);
    }
    ByteBuffer in = ByteBuffer.wrap(frame);
    try {
      Message m = read(in, accepted);
      if (in.hasRemaining()) {
        throw malformed(in.remaining() + " unexpected trailing bytes", in.position());
      }
      return m;
    } catch (BufferUnderflowException e) {
      throw malformed("frame ends early", in.position());
    }
  }

  private static Message read(ByteBuffer in, BodyCache accepted) {
    if (!in.hasRemaining()) {
      throw malformed("empty frame", 0);
    }
    byte type = in.get();
    return switch (type) {
      case HELLO -> new Message.Hello(in.getInt(), new UUID(in.getLong(), in.getLong()), str(in, MAX_IDENTITY), str(in, MAX_IDENTITY),
          bytes(in, MAX_SMALL_BYTES));
      case AUTH -> new Message.Auth(bytes(in, MAX_SMALL_BYTES));
      case WELCOME -> {
        String p = str(in, MAX_IDENTITY);
        yield new Message.Welcome(p.isEmpty() ? null : p);
      }
      case REJECT -> new Message.Reject(str(in, MAX_IDENTITY), str(in, MAX_TEXT));
      case CALL -> {
        long id = in.getLong();
        long deadline = in.getLong();
        LambdaRef f = lambdaRef(in, accepted);
        int n = in.get() & 0xff;
        List<byte[]> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          args.add(bytes(in, MAX_FRAME));
        }
        yield new Message.Call(id, deadline, f, List.copyOf(args));
      }
      case RESULT -> new Message.Result(in.getLong(), bytes(in, MAX_FRAME));
      case FAILURE -> new Message.Failure(in.getLong(), bytes(in, MAX_FRAME));
      case REFUSED -> new Message.Refused(in.getLong(), str(in, MAX_IDENTITY), str(in, MAX_IDENTITY), str(in, MAX_TEXT));
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

  private static String str(ByteBuffer in, int max) {
    int at = in.position();
    int n = in.getInt();
    if (n < 0 || n > max || n > in.remaining()) {
      throw malformed("string of length " + n + " (limit " + Math.min(max, in.remaining()) + ")", at);
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
