package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The byte and connection budgets of a peer: what a connection may send before and after its
 * handshake, what all connections together may hold, and that what a closed connection held is
 * given back. The last test holds two authenticated senders' half-sent messages against a real
 * listener, so the second exceeds the peer's total and is closed while the first is not.
 */
class BudgetsTest {
  @Test
  void aConnectionBeforeItsHandshakeMaySendAHelloButNoPayload() {
    FrameBudget budget = new FrameBudget(1 << 20, 1 << 19);
    FrameBudget.Connection c = budget.open();
    assertThat(c.reserve(300)).isNull();
    c.release(300);
    assertThat(c.reserve(FrameBudget.PRE_AUTH_MESSAGE + 1)).contains("before the handshake completed");
    FrameBudget.Connection d = budget.open();
    for (int i = 0; i < FrameBudget.PRE_AUTH_TOTAL / 4096; i++) {
      assertThat(d.reserve(4096)).isNull();
      d.release(4096);
    }
    assertThat(d.reserve(1)).as("the handshake's bytes in all are bounded too").contains("in all");
    assertThat(budget.used()).isZero();
  }

  @Test
  void afterTheHandshakeAConnectionAndAllOfThemAreBoundedAndAClosedOneGivesItsBytesBack() {
    FrameBudget budget = new FrameBudget(3 << 20, 2 << 20);
    FrameBudget.Connection a = budget.open();
    FrameBudget.Connection b = budget.open();
    a.authenticated();
    b.authenticated();
    assertThat(a.reserve(2 << 20)).isNull();
    assertThat(a.reserve(1)).contains("connection's budget");
    assertThat(b.reserve(1 << 20)).isNull();
    assertThat(b.reserve(1)).contains("total budget");
    a.close();
    assertThat(budget.used()).isEqualTo(1 << 20);
    a.release(2 << 20); // a body of the closed connection ending later gives nothing back twice
    assertThat(budget.used()).isEqualTo(1 << 20);
    assertThat(b.reserve(1 << 20)).isNull();
  }

  @Test
  void admissionBoundsOpenAndHandshakingConnections() {
    Admission admission = new Admission(3, 2);
    assertThat(admission.admit()).isNull();
    assertThat(admission.admit()).isNull();
    assertThat(admission.admit()).contains("maxHandshaking 2");
    admission.authenticated();
    assertThat(admission.admit()).isNull();
    assertThat(admission.admit()).contains("maxConnections 3");
    admission.closed(true);
    admission.closed(false);
    assertThat(admission.open()).isEqualTo(1);
    assertThat(admission.admit()).isNull();
  }

  @Test
  void halfSentMessagesOfTwoSendersCannotExceedThePeersTotal() throws Exception {
    String secret = "a secret for the budget test";
    long total = FrameCodec.MAX_FRAME + (4 << 20);
    try (Peer server = Peer.builder().id(PeerId.of("budgeted")).sharedSecret(secret)
            .maxFrameBytes(FrameCodec.MAX_FRAME, total).build().listen(0);
        HostileClient first = HostileClient.connect(server.port());
        HostileClient second = HostileClient.connect(server.port())) {
      assertThat(first.handshake(PeerId.of("first"), server.id(), secret)).isInstanceOf(Message.Welcome.class);
      assertThat(second.handshake(PeerId.of("second"), server.id(), secret)).isInstanceOf(Message.Welcome.class);
      int twelveMiB = 12 << 20;
      assertThat(sendFragments(first, twelveMiB)).isTrue();
      assertThat(sendFragments(second, twelveMiB)).as("the second sender's fragments beyond the total are refused").isFalse();
      assertThat(second.closedWithin(Duration.ofSeconds(10))).isTrue();
      assertThat(first.closedWithin(Duration.ofMillis(300))).isFalse();
      assertThat(server.config().frameBudget().used()).isLessThanOrEqualTo(total);
      first.close();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.config().frameBudget().used() > 0 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(server.config().frameBudget().used()).as("closed connections give their bytes back").isZero();
    }
  }

  /** Sends {@code n} bytes as non-final 64 KiB fragments of one message; false once the peer closed. */
  private static boolean sendFragments(HostileClient c, int n) {
    byte[] chunk = new byte[FrameCodec.MAX_FRAGMENT];
    chunk[0] = 5; // a call, never finished
    for (int sent = 0; sent < n; sent += chunk.length) {
      try {
        c.ws.sendBinary(ByteBuffer.wrap(chunk), false).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        return false;
      }
      if (c.closed.isDone()) {
        return false;
      }
    }
    return !c.closedWithin(Duration.ofMillis(300));
  }

}
