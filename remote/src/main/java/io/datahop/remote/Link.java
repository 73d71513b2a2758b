package io.datahop.remote;

import io.datahop.DatahopException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one connection between two peers, independent of the transport: the
 * handshake, the calls this side made on it, and (through {@link Dispatcher}) the calls the other
 * side made. Transport events arrive through {@link #receive} and {@link #closed}; everything else
 * is called by the owning {@link Peer}.
 *
 * <p>Handshake (protocol 2), the dialer D connecting to the acceptor A:
 * <ol>
 *   <li>D → A {@code Hello} (D's id, build, nonce nD); A → D {@code Hello} (A's, nonce nA);
 *   <li>D → A {@code Auth}: D's proof over the transcript (role, protocol, nD, nA, D, A);
 *   <li>A verifies it, claims D's id for this link, then A → D {@code Auth} (A's proof) and
 *       {@code Welcome}; D verifies, claims A's id, D → A {@code Welcome}.
 * </ol>
 * The acceptor proves nothing before the dialer proved itself, so a stranger learns no proof
 * to relay, and the roles in the MAC keep one side's proof from being reflected to it. Before
 * the link is ready only handshake messages are decoded ({@link #admits}). A link is ready once
 * it both welcomed and was welcomed. An id already held by another live link is refused
 * ({@code remote/peer-id-in-use}), never swapped in.
 *
 * <p>Backpressure: at most {@code maxInFlight} calls are on the wire per link; later calls wait in a
 * bounded queue (beyond it they fail with {@code remote/overloaded}). The receiving side stops
 * reading while it runs {@code maxBodies} bodies for this link, or holds too many bytes of their
 * frames, so TCP flow control reaches the caller.
 */
final class Link {
  static final int PROTOCOL = 2;
  /** The refusal of a connection claiming an id another live connection holds; the dialer retries. */
  static final String ID_IN_USE = "remote/peer-id-in-use";
  private static final Logger LOG = LoggerFactory.getLogger(Link.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Peer peer;
  private final PeerConfig config;
  private final Transport transport;
  private final Dialer dialer;
  private final boolean dialing;
  private final byte[] nonce = new byte[32];
  private final Dispatcher inbound;
  private final BodyCache bodies;
  private final FrameBudget.Connection budget;
  private final Map<Long, PendingCall> outgoing = new ConcurrentHashMap<>();
  private final ArrayDeque<PendingCall> queued = new ArrayDeque<>();
  private int inFlight;

  private volatile PeerId remote;
  private volatile String principal;
  private byte[] theirNonce;
  private boolean sentAuth;
  private boolean welcomedThem;
  private boolean welcomedUs;
  private volatile boolean ready;
  private volatile boolean closed;
  private ScheduledFuture<?> handshakeTimer;
  private boolean started;
  /** Messages received so far: a {@link #probe} checks that it moved. */
  private volatile long received;
  private volatile boolean probing;

  /**
   * A link on {@code transport}; {@code dialing} says which end of the handshake this is (the
   * connecting one), {@code budget} counts the bytes of the frames it received and still holds.
   */
  Link(Peer peer, Transport transport, Dialer dialer, boolean dialing, FrameBudget.Connection budget) {
    this.peer = peer;
    this.config = peer.config();
    this.transport = transport;
    this.dialer = dialer;
    this.dialing = dialing;
    this.budget = budget;
    this.bodies = new BodyCache(config.bodyCacheBytes());
    this.inbound = new Dispatcher(peer, this, transport);
    RANDOM.nextBytes(nonce);
  }

  PeerId remote() {
    return remote;
  }

  String principal() {
    return principal;
  }

  Dialer dialer() {
    return dialer;
  }

  BodyCache bodies() {
    return bodies;
  }

  FrameBudget.Connection budget() {
    return budget;
  }

  boolean isReady() {
    return ready && !closed;
  }

  boolean isClosed() {
    return closed;
  }

  String describe() {
    return (remote == null ? "?" : remote.toString()) + " at " + transport.describe();
  }

  /**
   * Opens the handshake; the transport is connected. The dialer speaks first; the acceptor only
   * starts the handshake's deadline. Idempotent: the other side's hello may come first.
   */
  void start() {
    if (started) {
      return;
    }
    started = true;
    if (dialing) {
      sendHello();
    }
    handshakeTimer = config.scheduler().schedule(() -> {
      if (!ready && !closed) {
        LOG.warn("refusing {}: the handshake did not complete within {}", transport.describe(), config.handshakeTimeout());
        transport.close();
      }
    }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sendHello() {
    transport.send(new Message.Hello(PROTOCOL, config.id().uuid(), config.id().name(), config.build(), nonce));
  }

  /**
   * Whether a frame of message {@code type} may be decoded now: before the link is ready only
   * the handshake's own messages are; anything else closes the connection undecoded.
   */
  boolean admits(byte type) {
    if (ready || FrameCodec.isHandshake(type)) {
      return true;
    }
    LOG.warn("refusing {}: it sent a frame of type {} before the handshake completed", transport.describe(), type);
    transport.sendAndClose(new Message.Reject("remote/protocol", "message of type " + type + " before the handshake completed"));
    return false;
  }

  /** One message from the other side, on the transport's thread; it holds no frame bytes. */
  void receive(Message message) {
    receive(message, 0);
  }

  /**
   * One message from the other side, on the transport's thread, decoded from a frame of {@code
   * frameBytes} bytes counted in {@link #budget()}: released here, or when its body ends for a call.
   */
  void receive(Message message, int frameBytes) {
    received++;
    if (closed) {
      release(frameBytes);
      return;
    }
    start();
    if (message instanceof Message.Call c) {
      if (requireReady(c)) {
        inbound.dispatch(c, frameBytes);
      } else {
        release(frameBytes);
      }
      return;
    }
    try {
      handle(message);
    } finally {
      release(frameBytes);
    }
  }

  void release(int frameBytes) {
    if (frameBytes > 0 && budget != null) {
      budget.release(frameBytes);
    }
  }

  private void handle(Message message) {
    switch (message) {
      case Message.Hello h -> onHello(h);
      case Message.Auth a -> onAuth(a);
      case Message.Welcome w -> onWelcome();
      case Message.Reject r -> onReject(r);
      case Message.Call c -> throw new AssertionError("calls are dispatched in receive");
      case Message.Cancel c -> inbound.cancel(c.id());
      case Message.Result r -> answered(r.id()).ifPresent(call -> {
        Object value;
        try {
          value = Origin.decode(peer, remote, r.value(), config.codec());
        } catch (RuntimeException e) {
          call.future.completeExceptionally(new DatahopException.Incorrect("remote/bad-result",
              "the result of " + call.describe() + " cannot be decoded here: " + e.getMessage(), Map.of(), e));
          return;
        }
        call.future.complete(value);
      });
      case Message.Failure f -> answered(f.id()).ifPresent(call -> call.future.completeExceptionally(failure(f)));
      case Message.Refused r -> answered(r.id()).ifPresent(call -> call.future.completeExceptionally(
          DatahopException.of(r.category(), r.code(), r.message() + " [refused by peer " + remote + "]", Map.of("peer", String.valueOf(remote)), null)));
      case Message.Ping p -> transport.send(new Message.Pong(p.nonce()));
      case Message.Pong p -> { }
    }
  }

  private RemoteException failure(Message.Failure f) {
    Object decoded;
    try {
      decoded = Values.decode(f.error(), config.codec());
    } catch (RuntimeException e) {
      decoded = e;
    }
    Throwable remoteError = decoded instanceof Throwable t
        ? t
        : new io.datahop.wire.RemoteException("unknown", "the peer sent an error this peer cannot read: " + decoded, new StackTraceElement[0], null);
    return new RemoteException(remote, remoteError);
  }

  private boolean requireReady(Message m) {
    if (!ready) {
      LOG.warn("refusing {}: it sent {} before the handshake completed", transport.describe(), m.getClass().getSimpleName());
      transport.sendAndClose(new Message.Reject("remote/protocol", "call before the handshake completed"));
      return false;
    }
    return true;
  }

  private void onHello(Message.Hello h) {
    if (remote != null) {
      protocolError("a second hello");
      return;
    }
    remote = new PeerId(h.peer(), h.name());
    theirNonce = h.nonce();
    if (h.protocol() != PROTOCOL) {
      reject("remote/protocol-mismatch", "peer " + remote + " speaks protocol " + h.protocol() + ", this peer " + PROTOCOL);
      return;
    }
    if (!config.build().equals(h.build())) {
      LOG.warn("peer {} runs another build ({} here, {} there): bodies whose classes differ will be refused",
          remote, config.build(), h.build());
    }
    if (dialing) {
      sendAuth(SharedSecret.Role.DIALER);
    } else {
      sendHello();
    }
  }

  private SharedSecret.Transcript transcript() {
    return dialing
        ? new SharedSecret.Transcript(PROTOCOL, nonce, theirNonce, config.id(), remote)
        : new SharedSecret.Transcript(PROTOCOL, theirNonce, nonce, remote, config.id());
  }

  private void sendAuth(SharedSecret.Role role) {
    sentAuth = true;
    byte[] proof = config.secret() == null ? new byte[0] : config.secret().proof(role, transcript());
    transport.send(new Message.Auth(proof));
  }

  private void onAuth(Message.Auth a) {
    if (remote == null || welcomedThem || (dialing && !sentAuth)) {
      protocolError(remote == null ? "auth before hello" : "an unexpected auth");
      return;
    }
    SharedSecret.Role theirs = dialing ? SharedSecret.Role.ACCEPTOR : SharedSecret.Role.DIALER;
    if (config.secret() != null) {
      if (a.proof().length == 0 || !config.secret().verify(a.proof(), theirs, transcript())) {
        String why = a.proof().length == 0 ? "it sent no proof (it has no shared secret)" : "its proof does not match the shared secret";
        reject("remote/auth-rejected", "peer " + remote + " failed authentication: " + why);
        return;
      }
      principal = remote.name();
    }
    if (!peer.claim(this)) {
      reject(ID_IN_USE, "peer id " + remote + " is held by another live connection; a second connection cannot take it over");
      return;
    }
    if (!dialing) {
      // the acceptor proves itself only now, to a dialer that proved itself first
      sendAuth(SharedSecret.Role.ACCEPTOR);
    }
    welcomedThem = true;
    transport.send(new Message.Welcome(principal));
    maybeReady();
  }

  private void onWelcome() {
    if (!sentAuth || welcomedUs) {
      protocolError("an unexpected welcome");
      return;
    }
    welcomedUs = true;
    maybeReady();
  }

  private void protocolError(String what) {
    LOG.warn("refusing {}: {}", transport.describe(), what);
    transport.sendAndClose(new Message.Reject("remote/protocol", what));
  }

  private void maybeReady() {
    if (welcomedThem && welcomedUs && !ready) {
      ready = true;
      if (handshakeTimer != null) {
        handshakeTimer.cancel(false);
      }
      if (budget != null) {
        budget.authenticated();
      }
      LOG.debug("connected to {}", describe());
      peer.linkReady(this);
    }
  }

  private void reject(String code, String message) {
    LOG.warn("rejecting connection from {}: {}", transport.describe(), message);
    transport.sendAndClose(new Message.Reject(code, message));
    // calls here that wait for that peer would wait in vain: they fail with the same reason
    peer.linkRejected(this, new DatahopException.Incorrect(code, "connection to " + describe() + " refused here: " + message,
        Map.of("peer", String.valueOf(remote)), null));
  }

  private void onReject(Message.Reject r) {
    LOG.warn("peer {} rejected this peer: {} ({})", describe(), r.message(), r.code());
    peer.linkRejected(this, new DatahopException.Incorrect(r.code(), "rejected by peer " + (remote == null ? transport.describe() : remote) + ": " + r.message(),
        Map.of("peer", String.valueOf(remote)), null));
    transport.close();
  }

  /** Sends {@code call} now, or queues it while {@code maxInFlight} calls are on the wire. */
  void send(PendingCall call) {
    boolean now;
    synchronized (queued) {
      now = inFlight < config.maxInFlight();
      if (now) {
        inFlight++;
      } else if (queued.size() < config.maxQueued()) {
        queued.add(call);
      } else {
        call.future.completeExceptionally(new DatahopException.Unavailable("remote/overloaded",
            "too many calls to " + remote + ": " + config.maxInFlight() + " in flight and " + config.maxQueued() + " queued",
            Map.of("peer", String.valueOf(remote)), null));
        return;
      }
    }
    if (now) {
      write(call);
    }
  }

  private void write(PendingCall call) {
    call.sentOn = this;
    outgoing.put(call.id, call);
    if (closed) {
      lost(call);
      return;
    }
    if (call.future.isDone()) {
      answered(call.id);
      return;
    }
    transport.send(call.message());
  }

  /** The caller gave up on {@code call} (deadline or cancel): tell the body to stop. */
  void cancel(PendingCall call) {
    if (outgoing.containsKey(call.id)) {
      answered(call.id);
      if (!closed) {
        transport.send(new Message.Cancel(call.id));
      }
    }
  }

  /** Removes an answered call and lets a queued one take its slot. */
  private Optional<PendingCall> answered(long id) {
    PendingCall call = outgoing.remove(id);
    if (call == null) {
      return Optional.empty();
    }
    PendingCall next = null;
    synchronized (queued) {
      inFlight--;
      while (!queued.isEmpty()) {
        PendingCall c = queued.poll();
        if (!c.future.isDone()) {
          next = c;
          inFlight++;
          break;
        }
      }
    }
    if (next != null) {
      write(next);
    }
    return Optional.of(call);
  }

  /** The transport closed: every call in flight on it fails now, every body for it stops. */
  void closed() {
    if (closed) {
      return;
    }
    closed = true;
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    List<PendingCall> failed = new ArrayList<>(outgoing.values());
    outgoing.clear();
    synchronized (queued) {
      failed.addAll(queued);
      queued.clear();
      inFlight = 0;
    }
    for (PendingCall call : failed) {
      lost(call);
    }
    inbound.stopAll();
    peer.linkClosed(this);
  }

  private void lost(PendingCall call) {
    call.future.completeExceptionally(new DatahopException.Unavailable("remote/connection-lost",
        "the connection to " + remote + " was lost while " + call.captured.lambda().describe() + " was in flight",
        Map.of("peer", String.valueOf(remote)), null));
  }

  void close() {
    transport.close();
  }

  /**
   * Another connection claimed this link's id: ping the other side, and close this link if
   * nothing arrives within a heartbeat interval. A live peer answers and keeps its id; a dropped
   * connection this side had not noticed yet goes, so the peer's reconnection is accepted on its
   * next try instead of after the silence timeout.
   */
  void probe() {
    if (probing || closed || !ready) {
      return;
    }
    probing = true;
    long seen = received;
    transport.send(new Message.Ping(System.nanoTime()));
    config.scheduler().schedule(() -> {
      probing = false;
      if (!closed && received == seen) {
        LOG.warn("closing the connection to {}: a new connection claimed its id and it did not answer a ping within {}",
            describe(), peer.heartbeat());
        transport.close();
      }
    }, peer.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
  }
}
