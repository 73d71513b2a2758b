package io.datahop.remote;

import io.datahop.DatahopException;
import io.datahop.wire.Codec;
import io.datahop.wire.StoreRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's presence in a set of peers: it listens and/or connects over WebSocket, and once
 * two peers are connected either can run a body on the other with {@link #on}. The body is a
 * lambda; exactly the values it captures travel, encoded by the peer's {@link Codec} (a {@code Db}
 * as a {@code DbRef}), and the receiving peer runs the same compiled code (checked by fingerprint).
 *
 * <pre>{@code
 * try (Peer client = Peer.builder().id(PeerId.of("client")).codec(codec).build()) {
 *   PeerId server = client.connect("localhost", 9090).join();
 *   long n = 20;
 *   Long twice = client.on(server, () -> n * 2).join();     // runs on the server
 * }
 * }</pre>
 *
 * <p>A call to this peer itself runs locally, without the network and without encoding. A call
 * to a peer that is not connected yet waits for it until the deadline. A connecting peer
 * reconnects automatically with exponential backoff until {@link #close()}.
 */
public final class Peer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Peer.class);

  private final PeerConfig config;
  private final EventLoopGroup group;
  /**
   * Call deadlines: a hashed wheel takes a new timeout without waking any thread, where
   * scheduling on the event loop would wake it once per call.
   */
  private final HashedWheelTimer deadlines;
  private final ExecutorService ownedExecutor;
  private final AtomicLong ids = new AtomicLong();
  private final Map<PeerId, Link> links = new ConcurrentHashMap<>();
  private final Map<PeerId, Queue<PendingCall>> waiting = new ConcurrentHashMap<>();
  private final Set<Link> allLinks = ConcurrentHashMap.newKeySet();
  private final List<Dialer> dialers = new CopyOnWriteArrayList<>();
  private volatile Channel server;
  private volatile boolean closed;
  private final boolean serveBlobs;
  private final boolean fetchFromSender;
  private final Duration heartbeat;
  private final FetchedStores fetched = new FetchedStores(this);

  private Peer(Builder b) {
    this.group = new MultiThreadIoEventLoopGroup(b.ioThreads, NioIoHandler.newFactory(java.nio.channels.spi.SelectorProvider.provider(), ReplySpin.factory(b.replySpin)));
    this.deadlines = new HashedWheelTimer(
        Thread.ofPlatform().daemon().name("datahop-deadlines-" + b.id.name()).factory(), 5, TimeUnit.MILLISECONDS, 512);
    this.ownedExecutor = b.executor == null
        ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("datahop-body-", 0).factory())
        : null;
    this.config = new PeerConfig(
        b.id,
        buildFingerprint(),
        b.codec,
        b.secret == null ? null : new SharedSecret(b.secret),
        new LambdaLoader(b.classLoader, b.allowed, b.allowedEntries),
        b.executor == null ? ownedExecutor : b.executor,
        // only the peer's own virtual threads linger: a given executor's threads are not ours to spin
        new Linger(b.executor == null ? b.bodyLinger : Duration.ZERO),
        group,
        b.maxInFlight,
        b.maxQueued,
        b.maxBodies,
        b.defaultDeadline,
        b.handshakeTimeout,
        b.reconnectMin,
        b.reconnectMax,
        BodyCache.DEFAULT_BYTES,
        new FrameBudget(b.maxFrameBytesTotal, b.maxFrameBytesPerConnection),
        new Admission(b.maxConnections, b.maxHandshaking),
        Set.copyOf(b.allowedOrigins),
        b.tls,
        b.insecure);
    this.serveBlobs = b.serveBlobs;
    this.fetchFromSender = b.fetchFromSender;
    this.heartbeat = b.heartbeat;
    if (fetchFromSender) {
      BlobService.registry(this).addResolver(Origin.RESOLVER);
    }
  }

  /**
   * A builder with defaults: random id, the standard codec, virtual threads, no authentication
   * (so {@link #listen(int)} only on loopback), no TLS, the budgets of {@link Builder}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** This peer's id. */
  public PeerId id() {
    return config.id();
  }

  /** The codec captured values and results travel through. */
  public Codec codec() {
    return config.codec();
  }

  PeerConfig config() {
    return config;
  }

  /** True when other peers may read the blobs of this peer's stores ({@link Builder#serveBlobs}). */
  public boolean servesBlobs() {
    return serveBlobs;
  }

  /** True when Dbs of stores unknown here are read through their sender ({@link Builder#fetchFromSender}). */
  public boolean fetchesFromSender() {
    return fetchFromSender;
  }

  /**
   * The stores this peer reads through other peers, one per store and origin, each with its
   * {@link PeerBackedStore#fetchStats() fetch counters}; empty unless built with {@link
   * Builder#fetchFromSender}.
   */
  public List<PeerBackedStore> fetchedStores() {
    return fetched.stores();
  }

  FetchedStores fetched() {
    return fetched;
  }

  /** Idle time after which a connection is pinged; 4× as long without a byte closes it. */
  Duration heartbeat() {
    return heartbeat;
  }

  EventLoopGroup group() {
    return group;
  }

  Timer deadlines() {
    return deadlines;
  }

  /**
   * Starts accepting connections on the loopback address, port {@code port} (0 picks a free
   * port; see {@link #port()}): only processes of this machine can connect.
   */
  public Peer listen(int port) {
    return listen(InetAddress.getLoopbackAddress().getHostAddress(), port);
  }

  /**
   * Starts accepting connections on {@code address} ({@code 0.0.0.0} for every interface),
   * port {@code port}. An address other than loopback needs a {@linkplain Builder#sharedSecret
   * shared secret}, or an explicit {@link Builder#insecure(boolean)}: otherwise anyone who
   * reaches the port could run this peer's remote bodies with values of their choosing; it
   * throws {@link DatahopException.Incorrect} {@code remote/insecure-listen}.
   */
  public Peer listen(String address, int port) {
    requireOpen();
    Objects.requireNonNull(address, "address");
    if (server != null) {
      throw new IllegalStateException("peer " + id() + " already listens on port " + port());
    }
    InetAddress at;
    try {
      at = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new DatahopException.Incorrect("remote/listen-failed", "peer " + id() + " cannot listen on " + address + ": unknown address",
          Map.of("address", address), e);
    }
    if (!at.isLoopbackAddress() && config.secret() == null && !config.insecure()) {
      throw new DatahopException.Incorrect("remote/insecure-listen",
          "peer " + id() + " refuses to listen on " + address + " without a shared secret: anyone who reaches it could run its remote bodies. "
              + "Give a secret (--secret-file FILE or DATAHOP_SECRET_FILE; Peer.Builder.sharedSecret), listen on loopback, "
              + "or accept the risk with --insecure (Peer.Builder.insecure(true))",
          Map.of("address", address, "port", port), null);
    }
    server = WebSocketServer.bind(this, at.getHostAddress(), port);
    LOG.info("peer {} listens on {}:{}{}{}", id(), at.getHostAddress(), port(),
        config.tls().listens() ? " (TLS" + (config.tls().trust() != null ? ", client certificates required)" : ")") : "",
        config.secret() == null ? " without authentication" : "");
    return this;
  }

  /** The port this peer listens on; -1 when it does not listen. */
  public int port() {
    Channel s = server;
    return s == null ? -1 : ((java.net.InetSocketAddress) s.localAddress()).getPort();
  }

  /**
   * Connects to the peer listening at {@code host:port} and keeps the connection: when it drops,
   * this peer reconnects with backoff. The future completes with the other peer's id after the
   * first handshake, or fails if that peer rejects this one (then no retry happens). Until then
   * it keeps dialling, so bound the wait: {@code connect(host, port).get(30, SECONDS)}.
   */
  public CompletableFuture<PeerId> connect(String host, int port) {
    requireOpen();
    Dialer d = new Dialer(this, host, port);
    dialers.add(d);
    d.start();
    return d.firstConnection();
  }

  /** The peers connected right now (handshake complete). */
  public Set<PeerId> connectedPeers() {
    Set<PeerId> out = new LinkedHashSet<>();
    links.forEach((id, link) -> {
      if (link.isReady()) {
        out.add(link.remote());
      }
    });
    return out;
  }

  /** Calls waiting for {@code other} to connect. */
  int waitingFor(PeerId other) {
    Queue<PendingCall> q = waiting.get(other);
    return q == null ? 0 : q.size();
  }

  /** The ready link to {@code other}, or null. */
  Link linkTo(PeerId other) {
    Link link = links.get(other);
    return link != null && link.isReady() ? link : null;
  }

  /** Runs {@code body} on {@code target} with the default deadline. */
  public <T> CompletableFuture<T> on(PeerId target, SerializableCallable<T> body) {
    return on(target, config.defaultDeadline(), body);
  }

  /**
   * Runs {@code body} on {@code target}. The values the lambda captures are encoded now: one
   * that cannot travel throws {@link DatahopException.Incorrect} ({@code remote/capture-not-transferable})
   * here, before anything is sent. The future completes with the body's result (possibly
   * {@code null}); or fails with a {@link RemoteException} when the body threw, with
   * {@link DatahopException.Unavailable} {@code remote/deadline} when {@code deadline} passed, and
   * {@code remote/connection-lost} when the connection dropped meanwhile. Cancelling the future
   * interrupts the remote body.
   */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> on(PeerId target, Duration deadline, SerializableCallable<T> body) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(body, "body");
    requireOpen();
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    if (target.equals(id())) {
      return LocalCall.run(this, body, deadline);
    }
    Captured captured = LambdaCapture.capture(body, config.codec());
    PendingCall call = new PendingCall(ids.incrementAndGet(), target, captured, System.nanoTime() + deadline.toNanos());
    Timeout timer = deadlines.newTimeout(t -> call.future.completeExceptionally(new DatahopException.Unavailable(
        "remote/deadline",
        "the call " + call.describe() + " did not finish within " + deadline
            + (call.sentOn == null ? " (peer " + target + " is not connected)" : ""),
        Map.of("peer", target.toString(), "deadline", deadline.toString()), null)), deadline.toNanos(), TimeUnit.NANOSECONDS);
    call.future.whenComplete((v, e) -> {
      timer.cancel();
      Link on = call.sentOn;
      if (e != null && on != null) {
        on.cancel(call);
      } else if (e != null) {
        // it never left: don't keep it queued for a peer that may never come
        Queue<PendingCall> q = waiting.get(target);
        if (q != null) {
          q.remove(call);
        }
      }
    });
    route(call);
    return (CompletableFuture<T>) call.future;
  }

  private void route(PendingCall call) {
    Link link = links.get(call.target);
    if (link != null && link.isReady()) {
      link.send(call);
      return;
    }
    waiting.computeIfAbsent(call.target, k -> new ConcurrentLinkedQueue<>()).add(call);
    // the link may have become ready between the lookup and the enqueue
    link = links.get(call.target);
    if (link != null && link.isReady()) {
      drain(link);
    }
  }

  private void drain(Link link) {
    Queue<PendingCall> q = waiting.get(link.remote());
    if (q == null) {
      return;
    }
    for (PendingCall c; (c = q.poll()) != null; ) {
      if (!c.future.isDone()) {
        link.send(c);
      }
    }
  }

  /**
   * A new connection on {@code transport}; {@code dialer} is set for a connection this peer
   * made and reconnects, {@code dialing} says this side speaks first; its received frames are
   * counted in {@code budget} (null: not counted).
   */
  Link newLink(Transport transport, Dialer dialer, boolean dialing, FrameBudget.Connection budget) {
    Link link = new Link(this, transport, dialer, dialing, budget);
    allLinks.add(link);
    if (closed) {
      transport.close();
    }
    return link;
  }

  /**
   * Binds {@code link}'s (authenticated, if this peer has a secret) remote id to it, unless
   * another live link holds that id: an id is never swapped to a new connection, whoever opened
   * it. False when refused. A connection to this peer itself is let through to {@link #linkReady}.
   */
  boolean claim(Link link) {
    PeerId other = link.remote();
    if (other.equals(id())) {
      return true;
    }
    Link held = links.compute(other, (k, h) -> h == null || h == link || h.isClosed() ? link : h);
    if (held != link) {
      held.probe(); // it may be a dead connection not noticed yet: then the claimant's retry succeeds
      return false;
    }
    return true;
  }

  void linkReady(Link link) {
    if (link.remote().equals(id())) {
      LOG.warn("peer {} connected to itself at {}; ignoring that connection", id(), link.describe());
      link.close();
      return;
    }
    if (link.dialer() != null) {
      link.dialer().connected(link.remote());
    }
    drain(link);
  }

  void linkRejected(Link link, DatahopException error) {
    if (link.dialer() != null) {
      link.dialer().rejected(error);
    }
    if (Link.ID_IN_USE.equals(error.code())) {
      return; // the peer with that id is connected, or will be again: its calls keep waiting
    }
    PeerId other = link.remote();
    Queue<PendingCall> q = other == null ? null : waiting.get(other);
    if (q != null && links.get(other) == null) {
      for (PendingCall c; (c = q.poll()) != null; ) {
        c.future.completeExceptionally(error);
      }
    }
  }

  void linkClosed(Link link) {
    allLinks.remove(link);
    if (link.remote() != null) {
      links.remove(link.remote(), link);
    }
    if (link.dialer() != null) {
      link.dialer().disconnected();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new DatahopException.Unavailable("remote/closed", "peer " + id() + " is closed");
    }
  }

  /** Closes the listener and every connection; calls in flight fail with {@code remote/connection-lost}. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dialers.forEach(Dialer::stop);
    Channel s = server;
    if (s != null) {
      s.close().syncUninterruptibly();
    }
    for (Link link : new ArrayList<>(allLinks)) {
      link.close();
    }
    waiting.values().forEach(q -> {
      for (PendingCall c; (c = q.poll()) != null; ) {
        c.future.completeExceptionally(new DatahopException.Unavailable("remote/closed", "peer " + id() + " was closed"));
      }
    });
    fetched.close();
    config.linger().close(id());
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    deadlines.stop();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  boolean isClosed() {
    return closed;
  }

  private static String buildFingerprint() {
    byte[] fp = ClassFingerprints.of(Peer.class);
    return "datahop-remote/" + Link.PROTOCOL + "/" + HexFormat.of().formatHex(fp, 0, 8);
  }

  /**
   * Configures a {@link Peer}. Options are checked where they are set, so a wrong value fails
   * at its own line.
   */
  public static final class Builder {
    private PeerId id = PeerId.random();
    private Codec codec;
    private StoreRegistry registry;
    private byte[] secret;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Map<String, Set<String>> allowedEntries = new HashMap<>();
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private boolean insecure;
    private Tls tls = Tls.NONE;
    private int maxConnections = 128;
    private int maxHandshaking = 32;
    private long maxFrameBytesPerConnection = 2L * FrameCodec.MAX_FRAME;
    private long maxFrameBytesTotal = Math.max(2L * FrameCodec.MAX_FRAME, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4));
    private ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader() : Peer.class.getClassLoader();
    private ExecutorService executor;
    private int ioThreads = 1;
    private Duration replySpin = ReplySpin.DEFAULT;
    private Duration bodyLinger = Linger.DEFAULT;
    private int maxInFlight = 1024;
    private int maxQueued = 16_384;
    private int maxBodies = 256;
    private Duration defaultDeadline = Duration.ofSeconds(30);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration reconnectMin = Duration.ofMillis(50);
    private Duration reconnectMax = Duration.ofSeconds(2);
    private boolean serveBlobs;
    private boolean fetchFromSender;
    private Duration heartbeat = Duration.ofSeconds(WebSocketServer.PING_SECONDS);

    private Builder() {}

    /**
     * Lets peers that cannot open this peer's stores read their blobs (index nodes and commit
     * records) from this peer, by address, so a Db sent from here can be queried there (default
     * false). Only stores registered in this peer's {@link StoreRegistry} (and stores this peer
     * itself reads through another) are served; heads are never served and nothing can be
     * written. The receiver verifies every blob against its address.
     */
    public Builder serveBlobs(boolean serve) {
      this.serveBlobs = serve;
      return this;
    }

    /**
     * When a Db arrives whose store is neither registered here nor allowed to auto-connect,
     * reads its blobs on demand from the peer that sent it (which must {@link #serveBlobs serve
     * blobs}) instead of refusing it (default false). The nodes a query touches cross the network
     * once, are verified against their addresses and kept in the store's node cache; see {@link
     * Peer#fetchedStores()} for what was fetched.
     */
    public Builder fetchFromSender(boolean fetch) {
      this.fetchFromSender = fetch;
      return this;
    }

    /**
     * How long a connection may be idle before it is pinged (default 5 s); one that stays silent
     * for 4× as long is taken for dead and closed, which fails its calls and makes a connecting
     * peer reconnect. Shorter values find a dead link sooner at the cost of more pings.
     */
    public Builder heartbeat(Duration interval) {
      this.heartbeat = positive("heartbeat", interval);
      return this;
    }

    /** This peer's id (default: random). */
    public Builder id(PeerId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * The codec values travel through (default {@link Codec#standard()}); both peers must use
     * compatible codecs, e.g. the same registered user types.
     */
    public Builder codec(Codec codec) {
      Objects.requireNonNull(codec, "codec");
      if (registry != null) {
        throw new IllegalStateException("a registry was set already; register it in the codec instead: "
            + "Codec.builder().registry(registry)…build()");
      }
      this.codec = codec;
      return this;
    }

    /**
     * The registry a received {@code Db} (a DbRef on the wire) resolves its store through, with
     * the standard codec otherwise (default {@link StoreRegistry#global()}).
     */
    public Builder registry(StoreRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      if (codec != null) {
        throw new IllegalStateException("a codec was set already; give it the registry: Codec.builder().registry(registry)…build()");
      }
      this.registry = registry;
      return this;
    }

    /**
     * Allows the lambdas written in these classes to run here when another peer sends them,
     * in addition to classes annotated {@link RemoteScope}.
     */
    public Builder allow(Class<?>... capturingClasses) {
      for (Class<?> c : capturingClasses) {
        allowed.add(c.getName());
      }
      return this;
    }

    /**
     * Requires every connecting peer to prove it knows {@code secret} (HMAC challenge-response;
     * the secret never travels); the principal of its calls is then its peer name.
     */
    public Builder sharedSecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 16) {
        throw new IllegalArgumentException("a shared secret needs at least 16 bytes, got " + secret.length);
      }
      this.secret = secret.clone();
      return this;
    }

    /** {@link #sharedSecret(byte[])} with the UTF-8 bytes of {@code secret}. */
    public Builder sharedSecret(String secret) {
      return sharedSecret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Allows the lambdas written in the methods named {@code entryMethods} of {@code capturingClass}
     * (and the lambdas nested in them) to run here when another peer sends them, but no other lambda of
     * that class: narrower than {@link #allow(Class[])}, like {@link RemoteScope} on those methods.
     */
    public Builder allowEntries(Class<?> capturingClass, String... entryMethods) {
      Objects.requireNonNull(capturingClass, "capturingClass");
      if (entryMethods.length == 0) {
        throw new IllegalArgumentException("name the entry methods of " + capturingClass.getName() + " whose bodies may run, or use allow(Class...)");
      }
      allowedEntries.computeIfAbsent(capturingClass.getName(), k -> new LinkedHashSet<>()).addAll(List.of(entryMethods));
      return this;
    }

    /**
     * Lets this peer {@linkplain Peer#listen(String, int) listen} on an address other than loopback
     * without a shared secret (default false). Anyone who reaches the port can then run every
     * allowed body with captured values of their choosing: only for networks you trust entirely.
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * WebSocket upgrades carrying one of these {@code Origin} headers are accepted (default none).
     * Browsers send an Origin with every WebSocket and peers send none, so by default no web page
     * can connect; list the exact origins ({@code https://app.example:8443}) of pages that may.
     */
    public Builder allowOrigins(String... origins) {
      for (String o : origins) {
        allowedOrigins.add(Objects.requireNonNull(o, "origin"));
      }
      return this;
    }

    /**
     * This peer's TLS certificate chain and private key (PEM files; the key unencrypted PKCS#8):
     * its listener speaks TLS with them, and its dialer presents them as its client certificate
     * to listeners that require one. The files are read when the peer listens or connects.
     */
    public Builder tlsCertificate(Path certificateChain, Path privateKey) {
      tls = new Tls(Objects.requireNonNull(certificateChain, "certificateChain"), Objects.requireNonNull(privateKey, "privateKey"),
          tls.trust(), tls.dial());
      return this;
    }

    /**
     * A CA certificate (PEM): this peer's listener then requires every connecting peer to present
     * a client certificate it signed (mutual TLS), and its dialer speaks TLS and verifies
     * listeners' certificates against it instead of the JDK's trusted CAs.
     */
    public Builder tlsTrust(Path caCertificate) {
      tls = new Tls(tls.certificate(), tls.key(), Objects.requireNonNull(caCertificate, "caCertificate"), tls.dial());
      return this;
    }

    /**
     * Makes this peer's dialer speak TLS (default: only when {@link #tlsCertificate} or {@link
     * #tlsTrust} is set), verifying listeners against the JDK's trusted CAs unless {@link #tlsTrust}
     * names one. A dialer always checks that the certificate names the host it dialled.
     */
    public Builder tls(boolean dialWithTls) {
      tls = new Tls(tls.certificate(), tls.key(), tls.trust(), dialWithTls);
      return this;
    }

    /**
     * Inbound connections this peer keeps open at most (default 128), and of those at most
     * {@code handshaking} that have not completed their handshake yet (default 32): further
     * connections are closed at once, logged. Each handshaking slot is held at most for the
     * {@linkplain #handshakeTimeout handshake deadline}, so a flood of strangers cannot take the
     * slots of authenticated peers.
     */
    public Builder maxConnections(int open, int handshaking) {
      this.maxConnections = positive("maxConnections", open);
      this.maxHandshaking = positive("maxHandshaking", handshaking);
      if (handshaking > open) {
        throw new IllegalArgumentException("maxHandshaking " + handshaking + " exceeds maxConnections " + open);
      }
      return this;
    }

    /**
     * Bytes of received frames this peer holds at most, per connection (default 32 MiB) and over
     * all connections (default a quarter of the heap, at most 512 MiB, at least 32 MiB): a frame
     * counts from its first fragment until its message was handled, a call's until its body ended.
     * A connection stops being read while its calls hold half its budget; a fragment beyond either
     * budget closes its connection. Both must hold one largest message (16 MiB).
     */
    public Builder maxFrameBytes(long perConnection, long total) {
      if (perConnection < FrameCodec.MAX_FRAME || total < perConnection) {
        throw new IllegalArgumentException("frame budgets must hold one largest message (" + FrameCodec.MAX_FRAME
            + " bytes) and total >= perConnection; got " + perConnection + " per connection, " + total + " in total");
      }
      this.maxFrameBytesPerConnection = perConnection;
      this.maxFrameBytesTotal = total;
      return this;
    }

    /** Where bodies run (default: a new virtual thread per body; the peer shuts it down on close). */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The class loader capturing classes are looked up in. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** Netty I/O threads (default 1). */
    public Builder ioThreads(int n) {
      this.ioThreads = positive("ioThreads", n);
      return this;
    }

    /**
     * How long an I/O thread keeps polling (instead of sleeping in select) after it handed a body
     * to a virtual thread, so a short body's answer goes out without a wake-up of the I/O thread
     * (default 100 µs, or {@code -Ddatahop.remote.replySpinMicros}; zero turns it off). Costs at
     * most that much CPU per received call; lower it on machines where CPU is scarcer than latency.
     */
    public Builder replySpin(Duration budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.isNegative()) {
        throw new IllegalArgumentException("replySpin must not be negative, got " + budget);
      }
      this.replySpin = budget;
      return this;
    }

    /**
     * How long the virtual thread that ran a body keeps polling for the next call before it ends
     * (default 250 µs, or {@code -Ddatahop.remote.bodyLingerMicros}; zero turns it off). A call
     * that arrives meanwhile runs on that thread at once, without waking a parked carrier thread
     * for a new virtual thread, which on an idle machine is the largest cost a remote call adds to
     * the network round trip. Costs up to that much CPU after each body, on one thread per peer;
     * a lingering thread that finds itself preempted (busy CPUs) stops, and none lingers for the
     * next 100 ms. Only the peer's own virtual threads linger, not those of an {@link #executor}
     * given here. Lower it, or turn it off, where CPU is scarcer than latency.
     */
    public Builder bodyLinger(Duration budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.isNegative()) {
        throw new IllegalArgumentException("bodyLinger must not be negative, got " + budget);
      }
      this.bodyLinger = budget;
      return this;
    }

    /** Calls on the wire per connection before further calls queue (default 1024). */
    public Builder maxInFlight(int n) {
      this.maxInFlight = positive("maxInFlight", n);
      return this;
    }

    /** Calls queued per connection beyond maxInFlight before calls fail with remote/overloaded (default 16384). */
    public Builder maxQueued(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxQueued must be >= 0, got " + n);
      }
      this.maxQueued = n;
      return this;
    }

    /** Bodies running per connection before this peer stops reading from it (default 256). */
    public Builder maxConcurrentBodies(int n) {
      this.maxBodies = positive("maxConcurrentBodies", n);
      return this;
    }

    /** The deadline of calls made without one (default 30 s). */
    public Builder defaultDeadline(Duration d) {
      this.defaultDeadline = positive("defaultDeadline", d);
      return this;
    }

    /**
     * How long a new connection may take to authenticate (default 10 s): the TLS handshake, the
     * WebSocket upgrade and the peers' handshake; a connection that did not is closed.
     */
    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = positive("handshakeTimeout", d);
      return this;
    }

    /** Reconnect delays: from {@code min}, doubling up to {@code max} (default 50 ms to 2 s). */
    public Builder reconnectBackoff(Duration min, Duration max) {
      positive("reconnect min", min);
      positive("reconnect max", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("reconnect max " + max + " is less than min " + min);
      }
      this.reconnectMin = min;
      this.reconnectMax = max;
      return this;
    }

    /** Builds the peer; it neither listens nor connects until told to. */
    public Peer build() {
      if (codec == null) {
        codec = registry == null ? Codec.standard() : Codec.builder().registry(registry).build();
      }
      return new Peer(this);
    }

    private static int positive(String what, int n) {
      if (n <= 0) {
        throw new IllegalArgumentException(what + " must be positive, got " + n);
      }
      return n;
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
