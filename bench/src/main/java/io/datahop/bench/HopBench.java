package io.datahop.bench;

import io.datahop.remote.Peer;
import io.datahop.remote.PeerId;
import io.datahop.remote.RemoteScope;
import io.datahop.wire.Codec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code ./datahop bench hop}: the cost of one remote call between two processes on this
 * machine, next to a raw Netty WebSocket ping-pong over the same kind of connection. Prints p50
 * and p99 latency of both (sequential calls), their ratio, and calls/s with 64 calls in flight.
 * The second process is this class started with {@code --serve}; it runs a peer and an echo server,
 * and a second peer whose bodies run on the I/O thread (a direct executor), which shows how much of
 * the difference is the hand-off of each body to a virtual thread and back, and a third peer
 * with {@code replySpin} off, which shows what polling for the answer saves.
 *
 * <p>For each kind of sequential call it also prints {@code :sleeps-per-call} and
 * {@code :cpu-us-per-call}: voluntary context switches and CPU time of both processes (Linux
 * {@code /proc}), net of what they do idle. Latencies on a shared machine swing with its load;
 * the sleeps count the thread wake-ups on the path, which is what a change to it moves.
 * {@code datahop.*} system properties of this process are passed on to the server process.
 *
 * <p>Options: {@code --samples N} (per kind and round, default 4000), {@code --rounds N} (default 5),
 * {@code --seconds S} per throughput run (default 3).
 */
@RemoteScope
public final class HopBench {
  private HopBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--serve")) {
      serve();
      return;
    }
    int samples = option(args, "--samples", 4000);
    int rounds = option(args, "--rounds", 5);
    int seconds = option(args, "--seconds", 3);
    run(samples, rounds, seconds);
  }

  static Codec codec() {
    return Codec.standard();
  }

  private static void serve() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ExecutorService direct = new DirectExecutor();
    try (Peer peer = Peer.builder().id(PeerId.of("hop-server")).codec(codec()).build();
        Peer inline = Peer.builder().id(PeerId.of("hop-server-inline")).codec(codec()).executor(direct).build();
        Peer noSpin = Peer.builder().id(PeerId.of("hop-server-no-spin")).codec(codec()).replySpin(Duration.ZERO).build()) {
      peer.listen(0);
      inline.listen(0);
      noSpin.listen(0);
      int raw = RawWebSocket.echoServer(group);
      System.out.println("PORTS " + peer.port() + " " + raw + " " + inline.port() + " " + noSpin.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent goes away
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static void run(int samples, int rounds, int seconds) throws Exception {
    List<String> command = new ArrayList<>(List.of(javaBinary()));
    // the server process gets the same datahop.* tuning (-Ddatahop.remote.replySpinMicros=…) as this one
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("datahop."))
        .sorted().forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
    // the server's peers say at close how often a lingering body thread caught the next call
    command.add("-Dorg.slf4j.simpleLogger.log.io.datahop.remote.Linger=debug");
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), HopBench.class.getName(), "--serve"));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (Peer peer = Peer.builder().id(PeerId.of("hop-client")).codec(codec()).build()) {
      String[] ports = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine().split(" ");
      PeerId server = peer.connect("127.0.0.1", Integer.parseInt(ports[1])).get(30, TimeUnit.SECONDS);
      RawWebSocket.Client raw = new RawWebSocket.Client(group, Integer.parseInt(ports[2]));
      PeerId inlineServer = peer.connect("127.0.0.1", Integer.parseInt(ports[3])).get(30, TimeUnit.SECONDS);
      PeerId noSpinServer = peer.connect("127.0.0.1", Integer.parseInt(ports[4])).get(30, TimeUnit.SECONDS);
      AtomicLong counter = new AtomicLong();
      Supplier<CompletableFuture<?>> rawCall = raw::ping;
      Supplier<CompletableFuture<?>> hopCall = () -> {
        long n = counter.incrementAndGet();
        return peer.on(server, () -> n + 1);
      };
      Supplier<CompletableFuture<?>> inlineCall = () -> {
        long n = counter.incrementAndGet();
        return peer.on(inlineServer, () -> n + 1);
      };
      Supplier<CompletableFuture<?>> noSpinCall = () -> {
        long n = counter.incrementAndGet();
        return peer.on(noSpinServer, () -> n + 1);
      };

      // warm both processes' JITs on both paths before measuring
      latencies(rawCall, samples * 3);
      latencies(hopCall, samples * 3);
      latencies(inlineCall, samples);
      latencies(noSpinCall, samples);
      ThreadStats stats = new ThreadStats(ProcessHandle.current().pid(), child.pid());
      // what both processes do with no calls (timer ticks, GC, JIT), subtracted from each kind's counts
      ThreadStats.Snapshot idle0 = stats.snapshot();
      Thread.sleep(500);
      ThreadStats.Snapshot idle = stats.snapshot().minus(idle0);
      Kind rawKind = new Kind(rawCall);
      Kind hopKind = new Kind(hopCall);
      Kind inlineKind = new Kind(inlineCall);
      Kind noSpinKind = new Kind(noSpinCall);
      for (int r = 0; r < rounds; r++) {
        for (Kind k : List.of(rawKind, hopKind, inlineKind, noSpinKind)) {
          k.measure(samples, stats);
        }
      }
      long[] rawAll = merge(rawKind.runs);
      long[] hopAll = merge(hopKind.runs);
      long[] inlineAll = merge(inlineKind.runs);
      long[] noSpinAll = merge(noSpinKind.runs);
      double rawRate = throughput(rawCall, 64, seconds);
      double hopRate = throughput(hopCall, 64, seconds);
      raw.close();
      System.out.println(String.format(Locale.ROOT,
          "{:bench :hop, :samples %d, :in-flight 64,%n"
              + " :raw-websocket {:p50-us %.1f, :p99-us %.1f, :calls-per-s %.0f, %s},%n"
              + " :remote-call   {:p50-us %.1f, :p99-us %.1f, :calls-per-s %.0f, %s},%n"
              + " :remote-call-on-io-thread {:p50-us %.1f, :p99-us %.1f, %s},%n"
              + " :remote-call-no-reply-spin {:p50-us %.1f, :p99-us %.1f, %s},%n"
              + " :ratio-p50 %.2f, :ratio-p99 %.2f, :calls-per-s-remote-over-raw %.2f, :goal-ratio-p50 1.3}",
          rawAll.length, us(pct(rawAll, 50)), us(pct(rawAll, 99)), rawRate, rawKind.perCall(idle),
          us(pct(hopAll, 50)), us(pct(hopAll, 99)), hopRate, hopKind.perCall(idle),
          us(pct(inlineAll, 50)), us(pct(inlineAll, 99)), inlineKind.perCall(idle),
          us(pct(noSpinAll, 50)), us(pct(noSpinAll, 99)), noSpinKind.perCall(idle),
          pct(hopAll, 50) / (double) pct(rawAll, 50), pct(hopAll, 99) / (double) pct(rawAll, 99), hopRate / rawRate));
    } finally {
      child.getOutputStream().close();
      child.waitFor(5, TimeUnit.SECONDS);
      child.destroyForcibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * One kind of call: its latency runs, and the sleeps (thread wake-ups) and CPU time of both
   * processes while it ran.
   */
  private static final class Kind {
    private final Supplier<CompletableFuture<?>> call;
    private final List<long[]> runs = new ArrayList<>();
    private ThreadStats.Snapshot total = new ThreadStats.Snapshot(0, 0, 0);
    private long calls;

    Kind(Supplier<CompletableFuture<?>> call) {
      this.call = call;
    }

    void measure(int samples, ThreadStats stats) throws Exception {
      ThreadStats.Snapshot before = stats.snapshot();
      runs.add(latencies(call, samples));
      ThreadStats.Snapshot d = stats.snapshot().minus(before);
      total = new ThreadStats.Snapshot(total.sleeps() + d.sleeps(), total.cpuNanos() + d.cpuNanos(), total.atNanos() + d.atNanos());
      calls += samples;
    }

    /** Sleeps and CPU µs per call, net of what the processes use when idle. */
    String perCall(ThreadStats.Snapshot idle) {
      if (!ThreadStats.available() || calls == 0) {
        return ":sleeps-per-call nil, :cpu-us-per-call nil";
      }
      double idleShare = total.atNanos() / (double) idle.atNanos();
      return String.format(Locale.ROOT, ":sleeps-per-call %.2f, :cpu-us-per-call %.1f",
          (total.sleeps() - idle.sleeps() * idleShare) / calls, (total.cpuNanos() - idle.cpuNanos() * idleShare) / 1e3 / calls);
    }
  }

  /** Runs each body on the thread that received it: only for bodies known never to block. */
  private static final class DirectExecutor extends AbstractExecutorService {
    private volatile boolean shut;

    @Override
    public void execute(Runnable task) {
      task.run();
    }

    @Override
    public void shutdown() {
      shut = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shut = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shut;
    }

    @Override
    public boolean isTerminated() {
      return shut;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  private static long[] latencies(Supplier<CompletableFuture<?>> call, int n) throws Exception {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.get().get(10, TimeUnit.SECONDS);
      out[i] = System.nanoTime() - t0;
    }
    return out;
  }

  /** Keeps {@code inFlight} calls outstanding for {@code seconds}; returns completed calls per second. */
  private static double throughput(Supplier<CompletableFuture<?>> call, int inFlight, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong done = new AtomicLong();
    CompletableFuture<Void> finished = new CompletableFuture<>();
    AtomicLong active = new AtomicLong(inFlight);
    long t0 = System.nanoTime();
    for (int i = 0; i < inFlight; i++) {
      chain(call, end, done, active, finished);
    }
    finished.get(seconds + 30L, TimeUnit.SECONDS);
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static void chain(Supplier<CompletableFuture<?>> call, long end, AtomicLong done, AtomicLong active, CompletableFuture<Void> finished) {
    call.get().whenComplete((v, e) -> {
      if (e != null) {
        finished.completeExceptionally(e);
        return;
      }
      done.incrementAndGet();
      if (System.nanoTime() < end) {
        // continue off the I/O thread, as an application would
        CompletableFuture.runAsync(() -> chain(call, end, done, active, finished));
      } else if (active.decrementAndGet() == 0) {
        finished.complete(null);
      }
    });
  }

  private static long[] merge(List<long[]> runs) {
    long[] all = runs.stream().flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double us(long nanos) {
    return nanos / 1000.0;
  }

  private static int option(String[] args, String name, int otherwise) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return otherwise;
  }

  private static String javaBinary() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
