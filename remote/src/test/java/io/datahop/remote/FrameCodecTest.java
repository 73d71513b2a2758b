package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every message survives its frame layout, and malformed frames fail cleanly and only one way. */
class FrameCodecTest {
  private static final LambdaRef REF = new LambdaRef("a/B", "io/datahop/remote/SerializableCallable", "call",
      "()Ljava/lang/Object;", 6, "a/B", "lambda$x$0", "(I)Ljava/lang/Object;", "()Ljava/lang/Object;", new byte[32]);

  static List<Message> samples() {
    return List.of(
        new Message.Hello(1, new UUID(1, 2), "server", "build-1", new byte[] {1, 2, 3}),
        new Message.Auth(new byte[32]),
        new Message.Auth(new byte[0]),
        new Message.Welcome("client"),
        new Message.Welcome(null),
        new Message.Reject("remote/auth-rejected", "no"),
        new Message.Call(7, 30_000, REF, List.of(new byte[] {0, 1}, new byte[0])),
        new Message.Call(8, 1, REF, List.of()),
        new Message.Result(7, new byte[] {0, 9}),
        new Message.Failure(7, new byte[] {0, 4, 5}),
        new Message.Refused(7, "incorrect", "remote/lambda-not-allowed", "Ünïcode ok"),
        new Message.Cancel(7),
        new Message.Ping(-1),
        new Message.Pong(Long.MAX_VALUE));
  }

  @Test
  void everyMessageRoundTrips() {
    for (Message m : samples()) {
      Message back = FrameCodec.decode(FrameCodec.encode(m));
      assertThat(FrameCodec.encode(back)).as(m.toString()).isEqualTo(FrameCodec.encode(m));
      assertThat(back.getClass()).isEqualTo(m.getClass());
    }
    Message.Call call = (Message.Call) FrameCodec.decode(FrameCodec.encode(samples().get(6)));
    assertThat(call.lambda()).isEqualTo(REF);
    assertThat(call.args()).hasSize(2);
    assertThat(call.args().get(0)).containsExactly(0, 1);
  }

  @Test
  void aKnownLambdaIdentityIsReusedOnlyForTheSameBytes() {
    byte[] otherPrint = new byte[32];
    otherPrint[31] = 1;
    LambdaRef sibling = new LambdaRef("a/B", "io/datahop/remote/SerializableCallable", "call",
        "()Ljava/lang/Object;", 6, "a/B", "lambda$x$1", "(I)Ljava/lang/Object;", "()Ljava/lang/Object;", new byte[32]);
    LambdaRef rebuilt = new LambdaRef("a/B", "io/datahop/remote/SerializableCallable", "call",
        "()Ljava/lang/Object;", 6, "a/B", "lambda$x$0", "(I)Ljava/lang/Object;", "()Ljava/lang/Object;", otherPrint);
    for (int round = 0; round < 3; round++) {
      for (LambdaRef ref : List.of(REF, sibling, rebuilt)) {
        Message.Call back = (Message.Call) FrameCodec.decode(FrameCodec.encode(new Message.Call(round, 5, ref, List.of(new byte[] {0, 7}))));
        assertThat(back.lambda()).isEqualTo(ref);
        assertThat(back.id()).isEqualTo(round);
        assertThat(back.args().get(0)).containsExactly(0, 7);
      }
    }
  }

  @Test
  void aCancelIsNineBytes() {
    assertThat(FrameCodec.encode(new Message.Cancel(7))).containsExactly(9, 0, 0, 0, 0, 0, 0, 0, 7);
  }

  @Test
  void truncatedFramesUnknownTypesAndLyingLengthsAreRefused() {
    byte[] call = FrameCodec.encode(samples().get(6));
    for (int cut = 0; cut < call.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(call, cut);
      assertThatThrownBy(() -> FrameCodec.decode(part))
          .isInstanceOf(DatahopException.Incorrect.class)
          .hasMessageContaining("malformed frame");
    }
    assertThatThrownBy(() -> FrameCodec.decode(new byte[] {99})).hasMessageContaining("unknown message type 99");
    assertThatThrownBy(() -> FrameCodec.decode(new byte[] {2, 0x7f, -1, -1, -1})).hasMessageContaining("byte string of length");
    byte[] trailing = java.util.Arrays.copyOf(FrameCodec.encode(new Message.Ping(1)), 10);
    assertThatThrownBy(() -> FrameCodec.decode(trailing)).hasMessageContaining("trailing");
  }

  /** Seeded mutations of valid frames: each decodes to some message or fails as malformed, nothing else. */
  @Test
  void mutatedFramesDecodeOrFailAsMalformed() {
    long seed = Long.getLong("datahop.seed", System.nanoTime());
    int rounds = Boolean.getBoolean("datahop.long") ? 1_000_000 : 20_000;
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> frames = samples().stream().map(FrameCodec::encode).toList();
    for (int i = 0; i < rounds; i++) {
      byte[] f = frames.get(random.nextInt(frames.size())).clone();
      int flips = 1 + random.nextInt(4);
      for (int k = 0; k < flips && f.length > 0; k++) {
        f[random.nextInt(f.length)] = (byte) random.nextInt(256);
      }
      try {
        FrameCodec.decode(f);
      } catch (DatahopException.Incorrect e) {
        assertThat(e.code()).isEqualTo("remote/malformed-frame");
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " round " + i + ": " + e, e);
      }
    }
  }
}
