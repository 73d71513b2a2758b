package io.datahop.remote;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the virtual thread that just ran a body wait briefly (spinning) for the next call, so
 * calls that come back to back skip the hand-off to a fresh virtual thread. That hand-off has to
 * wake a parked carrier thread of the virtual-thread scheduler, which on an idle machine costs
 * tens of microseconds (the CPU leaves an idle state); the waiting thread keeps its carrier
 * running instead, and the I/O thread passes it the call through one atomic slot.
 *
 * <p>At most one thread per peer lingers, for at most the budget ({@link Peer.Builder#bodyLinger},
 * by default 250 µs, or {@code -Ddatahop.remote.bodyLingerMicros=N}; 0 turns it off) after each
 * body, then ends as it would have. Spinning only pays while the spinning thread has a CPU to
 * itself: when the CPUs are contended the operating system preempts it, a call handed to it then
 * waits for its next time slice, and its spinning takes CPU from the threads doing work. So a
 * lingering thread that notices it was preempted (one spin step took over {@link #PREEMPTED}) stops,
 * and no thread lingers for the next {@link #BACK_OFF}: on a busy machine wake-ups are cheap anyway.
 *
 * <p>The bodies it picks up run exactly as on a fresh thread; only the thread is reused, so a body
 * must not rely on thread identity or on thread-locals it did not set itself (as with any pooled
 * executor).
 */
final class Linger {
  private static final Logger LOG = LoggerFactory.getLogger(Linger.class);

  /**
   * The default budget: {@code -Ddatahop.remote.bodyLingerMicros}, else 250 µs. A caller that calls
   * again as soon as it has its answer sends the next call one round trip minus the server's share
   * after this thread answered: 140-220 µs on an idle 2-core VM, where a shorter budget would
   * mostly spin in vain.
   */
  static final Duration DEFAULT = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(Long.getLong("datahop.remote.bodyLingerMicros", 250)));

  /** The slot of the one lingering thread; the I/O thread puts a task in it. */
  private static final class Slot {
    volatile Runnable task;
  }

  /**
   * A spin step this long means the thread lost its time slice: the CPUs are contended. Shorter
   * gaps (an interrupt, a timer thread's tick run in between) are harmless and tolerated.
   */
  static final long PREEMPTED = TimeUnit.MICROSECONDS.toNanos(100);
  /** How long nobody lingers after a lingering thread was preempted. */
  static final long BACK_OFF = TimeUnit.MILLISECONDS.toNanos(100);

  private final long budgetNanos;
  private final long preemptedNanos;
  private final AtomicReference<Slot> waiting = new AtomicReference<>();
  private volatile boolean closed;
  /** nanoTime until which no thread lingers; 0 when lingering is allowed. */
  private volatile long backOffUntil;
  /** Calls run by a lingering thread; lingers that ran out; lingers stopped because preempted. */
  private final LongAdder caught = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder preemptions = new LongAdder();

  Linger(Duration budget) {
    this(budget, PREEMPTED);
  }

  /** With another threshold for "preempted" (tests). */
  Linger(Duration budget, long preemptedNanos) {
    this.budgetNanos = budget.toNanos();
    this.preemptedNanos = preemptedNanos;
  }

  /** Gives {@code task} to the lingering thread; false when none lingers (then start a new one). */
  boolean offer(Runnable task) {
    if (budgetNanos == 0) {
      return false;
    }
    Slot s = waiting.getAndSet(null);
    if (s == null) {
      return false;
    }
    s.task = task;
    caught.increment();
    return true;
  }

  /** Runs {@code first}, then whatever is offered to this thread while it lingers. */
  void run(Runnable first) {
    for (Runnable task = first; task != null; task = budgetNanos == 0 || closed ? null : await()) {
      task.run();
    }
  }

  /** No thread lingers after this; the one lingering now stops within a spin. */
  void close(PeerId peer) {
    closed = true;
    if (budgetNanos > 0) {
      LOG.debug("peer {}: {} calls ran on a lingering thread; {} lingers ran out, {} stopped preempted",
          peer, caught.sum(), expired.sum(), preemptions.sum());
    }
  }

  private Runnable await() {
    long now = System.nanoTime();
    long backOff = backOffUntil;
    if (backOff != 0) {
      if (now - backOff < 0) {
        return null;
      }
      backOffUntil = 0;
    }
    Slot s = new Slot();
    if (!waiting.compareAndSet(null, s)) {
      return null; // another thread lingers already; one is enough
    }
    long until = now + budgetNanos;
    for (long last = now; ; ) {
      Runnable t = s.task;
      if (t != null) {
        return t;
      }
      now = System.nanoTime();
      boolean preempted = now - last > preemptedNanos;
      last = now;
      if (preempted) {
        backOffUntil = now + BACK_OFF;
        preemptions.increment();
      } else if (!closed && now - until > 0) {
        expired.increment();
      }
      if (preempted || closed || now - until > 0) {
        if (waiting.compareAndSet(s, null)) {
          return null;
        }
        // an offer emptied the slot just now: its task is about to arrive
        while ((t = s.task) == null) {
          Thread.onSpinWait();
        }
        return t;
      }
      Thread.onSpinWait();
    }
  }
}
