package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A body's virtual thread lingers for the next call ({@code Peer.Builder.bodyLinger}): calls
 * handed to it run there, it ends after its budget or when the peer closes, it does not linger
 * once it noticed it was preempted, and bodies keep running on virtual threads.
 */
@RemoteScope
class LingerTest {
  private static final long NEVER_PREEMPTED = Long.MAX_VALUE;

  @Test
  void aCallOfferedWhileTheThreadLingersRunsOnThatThread() throws Exception {
    Linger linger = new Linger(Duration.ofSeconds(30), NEVER_PREEMPTED);
    CompletableFuture<Thread> first = new CompletableFuture<>();
    CompletableFuture<Thread> second = new CompletableFuture<>();
    Thread t = Thread.ofVirtual().start(() -> linger.run(() -> first.complete(Thread.currentThread())));
    first.get(10, TimeUnit.SECONDS);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!linger.offer(() -> second.complete(Thread.currentThread()))) {
      assertThat(System.nanoTime()).as("the thread lingers after its task").isLessThan(until);
      Thread.onSpinWait();
    }
    assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(t);
    linger.close(PeerId.of("test"));
    assertThat(t.join(Duration.ofSeconds(10))).as("a closed linger lets its thread end").isTrue();
    assertThat(linger.offer(() -> { })).isFalse();
  }

  @Test
  void theThreadEndsAfterItsBudgetAndNothingIsOfferedToIt() throws Exception {
    Linger linger = new Linger(Duration.ofMillis(20), NEVER_PREEMPTED);
    Thread t = Thread.ofVirtual().start(() -> linger.run(() -> { }));
    assertThat(t.join(Duration.ofSeconds(10))).isTrue();
    assertThat(linger.offer(() -> { })).isFalse();
  }

  @Test
  void noBudgetMeansNoLingering() throws Exception {
    Linger linger = new Linger(Duration.ZERO, NEVER_PREEMPTED);
    List<Integer> ran = new ArrayList<>();
    linger.run(() -> ran.add(1));
    assertThat(ran).containsExactly(1);
    assertThat(linger.offer(() -> ran.add(2))).isFalse();
  }

  @Test
  void aPreemptedThreadStopsLingeringAndOthersBackOff() throws Exception {
    // every spin step counts as preempted: the thread gives up at once and nobody lingers after it
    Linger linger = new Linger(Duration.ofSeconds(30), 0);
    CountDownLatch done = new CountDownLatch(2);
    Thread a = Thread.ofVirtual().start(() -> linger.run(done::countDown));
    assertThat(a.join(Duration.ofSeconds(10))).isTrue();
    long t0 = System.nanoTime();
    Thread b = Thread.ofVirtual().start(() -> linger.run(done::countDown));
    assertThat(b.join(Duration.ofSeconds(10))).isTrue();
    assertThat(done.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(linger.offer(() -> { })).isFalse();
  }

  @Test
  void backToBackCallsAnswerAndRunOnVirtualThreads() throws Exception {
    try (Peer server = Peer.builder().id(PeerId.of("linger-server")).bodyLinger(Duration.ofMillis(5)).build().listen(0);
        Peer client = Peer.builder().id(PeerId.of("linger-client")).build()) {
      PeerId target = client.connect("127.0.0.1", server.port()).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 50; i++) {
        long n = i;
        assertThat(client.on(target, () -> n * 2).get(20, TimeUnit.SECONDS)).isEqualTo(n * 2);
        assertThat(client.on(target, () -> Thread.currentThread().isVirtual()).get(20, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void aNegativeLingerIsRejected() {
    assertThatThrownBy(() -> Peer.builder().bodyLinger(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bodyLinger");
  }
}
