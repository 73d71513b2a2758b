package io.datahop.remote;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The select strategy of a peer's I/O threads: right after an I/O thread hands a body to a
 * virtual thread it polls its selector without blocking for a short while ({@link
 * Peer.Builder#replySpin}: by default 100 µs, or {@code -Ddatahop.remote.replySpinMicros=N}; 0 turns
 * it off) instead of parking in
 * {@code select}. A short body's answer, written from its virtual thread, is then picked up at
 * once instead of paying for a selector wake-up and a reschedule of the parked I/O thread, which
 * on a busy machine cost about as much as the whole raw round trip. The loop goes back to
 * blocking as soon as every handed-off body has answered ({@link #answered}), or when the budget
 * ends, so a body that blocks costs at most one budget of CPU and a short one only its own run.
 */
final class ReplySpin implements SelectStrategy {
  /** The default budget: {@code -Ddatahop.remote.replySpinMicros}, else 100 µs. */
  static final Duration DEFAULT = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(Long.getLong("datahop.remote.replySpinMicros", 100)));
  /** The strategy of the I/O thread running it; only that thread reads or writes its deadline. */
  private static final FastThreadLocal<ReplySpin> CURRENT = new FastThreadLocal<>();

  private final long budgetNanos;
  private long spinUntil;
  /** Handed-off bodies whose answers this thread has not written yet (while spinning). */
  private int awaiting;
  private boolean registered;

  private ReplySpin(long budgetNanos) {
    this.budgetNanos = budgetNanos;
  }

  /** One strategy per I/O thread, each polling for up to {@code budget} after a hand-off. */
  static SelectStrategyFactory factory(Duration budget) {
    long nanos = budget.toNanos();
    return () -> new ReplySpin(nanos);
  }

  /** On an I/O thread: a body was just handed off, so keep polling for its answer for a while. */
  static void expectReply() {
    ReplySpin s = CURRENT.getIfExists();
    if (s != null && s.budgetNanos > 0) {
      s.spinUntil = System.nanoTime() + s.budgetNanos;
      s.awaiting++;
    }
  }

  /**
   * On an I/O thread: the answer of a handed-off body was just written. When no other answer is
   * awaited, polling has nothing left to catch and the loop may sleep again.
   */
  static void answered() {
    ReplySpin s = CURRENT.getIfExists();
    if (s != null && s.awaiting > 0 && --s.awaiting == 0) {
      s.spinUntil = 0;
    }
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    if (!registered) {
      registered = true;
      CURRENT.set(this);
    }
    if (hasTasks) {
      return selectNow.get();
    }
    if (spinUntil != 0) {
      if (System.nanoTime() - spinUntil < 0) {
        Thread.onSpinWait();
        return selectNow.get();
      }
      // out of budget: answers still missing (a long or cancelled body) will wake the loop
      spinUntil = 0;
      awaiting = 0;
    }
    return SelectStrategy.SELECT;
  }
}
