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
 * <p>Handshake: both sides send {@code Hello} at once; on the other's Hello each sends
 * {@code Auth} (its proof over the other's nonce); on the other's Auth each verifies it and sends
 * {@code Welcome}, or {@code Reject} and closes. The link is ready once it both welcomed and was
 * welcomed.
 *
 * <p>Backpressure: at most {@code maxInFlight} calls are on the wire per link; later calls wait in a
 * bounded queue (beyond it they fail with {@code remote/overloaded}). The receiving side stops
 * reading while it runs {@code maxBodies} bodies for this link, so TCP flow control reaches the
 * caller.
 */
final class Link {
  static final int PROTOCOL = 1;
  private static final Logger LOG = LoggerFactory.getLogger(Link.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Peer peer;
  private final PeerConfig config;
  private final Transport transport;
  private final Dialer dialer;
  private final byte[] nonce = new byte[32];
  private final Dispatcher inbound;
  private final Map<Long, PendingCall> outgoing = new ConcurrentHashMap<>();
  private final ArrayDeque<PendingCall> queued = new ArrayDeque<>();
  private int inFlight;

  private volatile PeerId remote;
  private volatile String principal;
  private boolean welcomedThem;
  private boolean welcomedUs;
  private volatile boolean ready;
  private volatile boolean closed;
  private ScheduledFuture<?> handshakeTimer;
  private boolean started;

  Link(Peer peer, Transport transport, Dialer dialer) {
    this.peer = peer;
    this.config = peer.config();
    this.transport = transport;
    this.dialer = dialer;
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

  boolean isReady() {
    return ready && !closed;
  }

  String describe() {
    return (remote == null ? "?" : remote.toString()) + " at " + transport.describe();
  }

  /** Opens the handshake; the transport is connected. Idempotent: the other side's hello may come first. */
  void start() {
    if (started) {
      return;
    }
    started = true;
    transport.send(new Message.Hello(PROTOCOL, config.id().uuid(), config.id().name(), config.build(), nonce));
    handshakeTimer = config.scheduler().schedule(() -> {
      if (!ready && !closed) {
        LOG.warn("handshake with {} did not complete within {}", transport.describe(), config.handshakeTimeout());
        transport.close();
      }
    }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One message from the other side, on the transport's thread. */
  void receive(Message message) {
    if (closed) {
      return;
    }
    start();
    switch (message) {
      case Message.Hello h -> onHello(h);
      case Message.Auth a -> onAuth(a);
      case Message.Welcome w -> onWelcome();
      case Message.Reject r -> onReject(r);
      case Message.Call c -> {
        if (requireReady(c)) {
          inbound.dispatch(c);
        }
      }
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
      LOG.warn("{} sent {} before the handshake completed; closing", transport.describe(), m.getClass().getSimpleName());
      transport.sendAndClose(new Message.Reject("remote/protocol", "call before the handshake completed"));
      return false;
    }
    return true;
  }

  private void onHello(Message.Hello h) {
    if (remote != null) {
      transport.sendAndClose(new Message.Reject("remote/protocol", "a second hello"));
      return;
    }
    remote = new PeerId(h.peer(), h.name());
    if (h.protocol() != PROTOCOL) {
      reject("remote/protocol-mismatch", "peer " + remote + " speaks protocol " + h.protocol() + ", this peer " + PROTOCOL);
      return;
    }
    if (!config.build().equals(h.build())) {
      LOG.warn("peer {} runs another build ({} here, {} there): bodies whose classes differ will be refused",
          remote, config.build(), h.build());
    }
    byte[] proof = config.secret() == null ? new byte[0] : config.secret().proof(h.nonce(), config.id().uuid(), config.id().name());
    transport.send(new Message.Auth(proof));
  }

  private void onAuth(Message.Auth a) {
    if (remote == null) {
      reject("remote/protocol", "auth before hello");
      return;
    }
    if (config.secret() != null) {
      if (a.proof().length == 0 || !config.secret().verify(a.proof(), nonce, remote.uuid(), remote.name())) {
        String why = a.proof().length == 0 ? "it sent no proof (it has no shared secret)" : "its proof does not match the shared secret";
        reject("remote/auth-rejected", "peer " + remote + " failed authentication: " + why);
        return;
      }
      principal = remote.name();
    }
    welcomedThem = true;
    transport.send(new Message.Welcome(principal));
    maybeReady();
  }

  private void onWelcome() {
    welcomedUs = true;
    maybeReady();
  }

  private void maybeReady() {
    if (welcomedThem && welcomedUs && !ready) {
      ready = true;
      if (handshakeTimer != null) {
        handshakeTimer.cancel(false);
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
}
