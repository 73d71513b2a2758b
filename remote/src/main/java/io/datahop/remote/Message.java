package io.datahop.remote;

import java.util.List;
import java.util.UUID;

/**
 * The messages two connected peers exchange; one message is one binary WebSocket frame, laid
 * out by {@link FrameCodec}. A connection opens with {@link Hello} both ways, then {@link Auth}
 * both ways (a proof over the other side's nonce), then {@link Welcome} or {@link Reject};
 * afterwards either side may send calls.
 */
sealed interface Message {
  /** Who I am, what I run, and a fresh nonce for you to prove the shared secret over. */
  record Hello(int protocol, UUID peer, String name, String build, byte[] nonce) implements Message {
    @Override
    public String toString() {
      return "Hello[" + protocol + ", " + name + ", " + build + "]";
    }
  }

  /** HMAC proof over the receiver's nonce; empty when the sender has no secret. */
  record Auth(byte[] proof) implements Message {}

  /** The sender accepted the other side; calls may flow. */
  record Welcome(String principal) implements Message {}

  /** The sender refuses the connection and closes it. */
  record Reject(String code, String message) implements Message {}

  /**
   * Run a body. {@code deadlineMillis} is relative (clocks of two machines differ); args are
   * the captured values, each encoded by the codec on its own.
   */
  record Call(long id, long deadlineMillis, LambdaRef lambda, List<byte[]> args) implements Message {}

  /** The answer to a {@link Call}: exactly one per call that was not cancelled. */
  sealed interface Answer extends Message {
    /** The call answered. */
    long id();
  }

  /** The body returned; {@code value} is the codec's encoding (of {@code null} too). */
  record Result(long id, byte[] value) implements Answer {}

  /** The body threw; {@code error} is the throwable (cause chain and stacks) as the codec encodes it. */
  record Failure(long id, byte[] error) implements Answer {}

  /** The call was not run (disallowed class, different code, overload); a datahop error. */
  record Refused(long id, String category, String code, String message) implements Answer {}

  /** The caller gave up on a call; interrupt its body. */
  record Cancel(long id) implements Message {}

  /** Liveness probe; answered with a {@link Pong} carrying the same nonce. */
  record Ping(long nonce) implements Message {}

  /** Answer to a {@link Ping}. */
  record Pong(long nonce) implements Message {}

}
