package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.query.QueryDeadline;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calls one link receives: decodes the captured values, has {@link LambdaLoader} check
 * and rebuild the body, runs it on the peer's executor (virtual threads by default) with the
 * {@link Remote} context set, and sends back a result, a failure or a refusal. Refused calls are
 * logged and never run. A cancel interrupts the body's thread and suppresses its answer.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final long TEN_YEARS_MS = TimeUnit.DAYS.toMillis(3650);

  private final Peer peer;
  private final PeerConfig config;
  private final Link link;
  private final Transport transport;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  /** Refusals logged at WARN per connection; later ones at DEBUG. */
  static final int LOGGED_REFUSALS = 20;
  private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean paused;

  Dispatcher(Peer peer, Link link, Transport transport) {
    this.peer = peer;
    this.config = peer.config();
    this.link = link;
    this.transport = transport;
  }

  /**
   * One running body: its thread while it runs, and whether its caller gave up. The thread is set
   * and cleared under the record's lock, so a late cancel cannot interrupt whatever that thread
   * runs next (a lingering thread runs further bodies).
   */
  private static final class Running {
    private Thread thread;
    volatile boolean cancelled;
    /** Bytes of the call's frame, held in the connection's budget until the body ends. */
    final int frameBytes;

    Running(int frameBytes) {
      this.frameBytes = frameBytes;
    }

    synchronized void started() {
      thread = Thread.currentThread();
    }

    synchronized void ended() {
      thread = null;
    }

    synchronized void interrupt() {
      if (thread != null) {
        thread.interrupt();
      }
    }
  }

  void dispatch(Message.Call call) {
    dispatch(call, 0);
  }

  /**
   * Runs {@code call}, whose frame of {@code frameBytes} bytes stays counted in the link's budget
   * until the body ends. Reading stops while {@code maxBodies} bodies run or their frames hold half
   * the connection's byte budget.
   */
  void dispatch(Message.Call call, int frameBytes) {
    Running r = new Running(frameBytes);
    if (running.putIfAbsent(call.id(), r) != null) {
      link.release(frameBytes);
      transport.send(refused(call.id(), new DatahopException.Incorrect("remote/duplicate-call", "call id " + call.id() + " is already running")));
      return;
    }
    if (!paused && overBudget()) {
      paused = true;
      transport.setReading(false);
    }
    try {
      Runnable task = () -> run(call, r);
      Linger linger = config.linger();
      if (!linger.offer(task)) {
        config.executor().execute(() -> linger.run(task));
      }
      if (running.containsKey(call.id())) {
        // handed off (not run inline by a direct executor): its answer will come from another thread
        ReplySpin.expectReply();
      }
    } catch (RejectedExecutionException e) {
      finish(call.id(), r);
      transport.send(refused(call.id(), new DatahopException.Unavailable("remote/overloaded", "peer " + config.id() + " is shutting down or overloaded")));
    }
  }

  void cancel(long id) {
    Running r = running.get(id);
    if (r != null) {
      r.cancelled = true;
      r.interrupt();
    }
  }

  /** The link closed: nobody waits for these bodies any more. */
  void stopAll() {
    for (Long id : running.keySet()) {
      cancel(id);
    }
  }

  private void run(Message.Call call, Running r) {
    r.started();
    Message reply = null;
    try {
      if (r.cancelled) {
        return;
      }
      // the body is checked before any captured value is decoded, and kept for the next call of it
      // only once its class accepted it
      BodyCache cache = link.bodies();
      LambdaLoader.Body known = cache.body(call.lambda());
      LambdaLoader.Body checked = known != null ? known : config.loader().resolve(call.lambda());
      Object[] args = decodeArgs(call);
      Callable<?> body = config.loader().instantiate(call.lambda(), checked, args);
      if (known == null) {
        cache.accepted(call.lambda(), checked);
      }
      // capped at ten years: a longer (or hostile) deadline must not overflow into the past, where
      // the body's queries would stop at once
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(call.deadlineMillis(), TEN_YEARS_MS)));
      Object result;
      BodyContext previous = Remote.CURRENT.get();
      Remote.CURRENT.set(new BodyContext(peer, link.remote(), link.principal(), deadline));
      // the body's queries stop at its deadline even if the caller's Cancel never arrives
      Long queryScope = QueryDeadline.enter(deadline);
      try {
        result = body.call();
      } finally {
        QueryDeadline.exit(queryScope);
        Remote.CURRENT.set(previous);
      }
      reply = encodeResult(call, result);
    } catch (Refusal refusal) {
      logRefusal(refusal);
      reply = refused(call.id(), refusal.error());
    } catch (Throwable t) {
      reply = new Message.Failure(call.id(), encodeError(t));
    } finally {
      r.ended();
      finish(call.id(), r);
      // a cancel that raced with the end of the body must not leak into the next body of this thread
      Thread.interrupted();
      if (reply != null && !r.cancelled) {
        transport.send(reply);
      }
    }
  }

  /**
   * Logs a refusal: the first {@link #LOGGED_REFUSALS} of a connection at WARN, then one line
   * saying the rest go to DEBUG, so a caller sending refused calls in a loop cannot flood the log.
   */
  private void logRefusal(Refusal refusal) {
    int n = refusals.incrementAndGet();
    if (n <= LOGGED_REFUSALS) {
      LOG.warn("refused a call from {} (principal {}): {}", link.remote(), link.principal(), refusal.getMessage());
      if (n == LOGGED_REFUSALS) {
        LOG.warn("{} calls from {} refused; further refusals on this connection are logged at DEBUG", n, link.remote());
      }
    } else {
      LOG.debug("refused a call from {} (principal {}): {}", link.remote(), link.principal(), refusal.getMessage());
    }
  }

  private Object[] decodeArgs(Message.Call call) {
    Object[] args = new Object[call.args().size()];
    for (int i = 0; i < args.length; i++) {
      try {
        args[i] = Origin.decode(peer, link.remote(), call.args().get(i), config.codec());
      } catch (DatahopException e) {
        // e.g. a Db whose store is not registered here: keep the codec's category and code
        throw new Refusal(DatahopException.of(e.category(), e.code(),
            "captured value #" + (i + 1) + " of " + call.lambda().describe() + " cannot be rebuilt on peer " + config.id()
                + ": " + e.getMessage(), e.context(), null));
      } catch (RuntimeException e) {
        throw new Refusal(new DatahopException.Incorrect("remote/bad-capture",
            "captured value #" + (i + 1) + " of " + call.lambda().describe() + " cannot be decoded on peer " + config.id() + ": " + e.getMessage(),
            Map.of("index", i), null));
      }
    }
    return args;
  }

  private Message encodeResult(Message.Call call, Object result) {
    try {
      return new Message.Result(call.id(), Values.encode(result, config.codec()));
    } catch (RuntimeException e) {
      DatahopException error = new DatahopException.Incorrect("remote/result-not-transferable",
          "the result of " + call.lambda().describe() + " is a " + result.getClass().getName() + ", which cannot travel: " + e.getMessage(),
          Map.of("type", result.getClass().getName()), null);
      return new Message.Failure(call.id(), encodeError(error));
    }
  }

  private byte[] encodeError(Throwable t) {
    try {
      return Values.encode(t, config.codec());
    } catch (RuntimeException e) {
      // a codec that cannot write this throwable still gets its class, message and stack across
      String message = t.getMessage() + " (the codec could not encode this " + t.getClass().getName() + ": " + e.getMessage() + ")";
      return Values.encode(new io.datahop.wire.RemoteException(t.getClass().getName(), message, t.getStackTrace(), null), config.codec());
    }
  }

  private boolean overBudget() {
    FrameBudget.Connection b = link.budget();
    return running.size() >= config.maxBodies() || (b != null && b.held() > config.frameBudget().perConnection() / 2);
  }

  private void finish(long id, Running r) {
    running.remove(id);
    link.release(r.frameBytes);
    FrameBudget.Connection b = link.budget();
    if (paused && running.size() <= config.maxBodies() / 2 && (b == null || b.held() <= config.frameBudget().perConnection() / 4)) {
      paused = false;
      transport.setReading(true);
    }
  }

  private static Message.Refused refused(long id, DatahopException e) {
    return new Message.Refused(id, e.category(), e.code(), e.getMessage());
  }
}
