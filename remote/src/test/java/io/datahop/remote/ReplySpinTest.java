package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server's I/O thread polls for a handed-off body's answer for {@code replySpin}: answers must
 * arrive whether the budget is off, or the body outlasts it and the loop went back to sleep.
 */
@RemoteScope
class ReplySpinTest {
  private static long roundTrip(Duration spin, long sleepMillis) throws Exception {
    try (Peer server = Peer.builder().id(PeerId.of("spin-server")).replySpin(spin).build().listen(0);
        Peer client = Peer.builder().id(PeerId.of("spin-client")).build()) {
      PeerId target = client.connect("127.0.0.1", server.port()).get(30, TimeUnit.SECONDS);
      long sum = 0;
      for (int i = 0; i < 20; i++) {
        long n = i;
        CompletableFuture<Long> f = client.on(target, () -> {
          Thread.sleep(sleepMillis);
          return n * 2;
        });
        sum += f.get(20, TimeUnit.SECONDS);
      }
      return sum;
    }
  }

  @Test
  void answersArriveWithTheSpinOff() throws Exception {
    assertThat(roundTrip(Duration.ZERO, 0)).isEqualTo(380);
  }

  @Test
  void answersOfBodiesThatOutlastTheSpinStillArrive() throws Exception {
    assertThat(roundTrip(Duration.ofNanos(200_000), 3)).isEqualTo(380);
  }

  @Test
  void aNegativeSpinIsRejected() {
    assertThatThrownBy(() -> Peer.builder().replySpin(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replySpin");
  }
}
