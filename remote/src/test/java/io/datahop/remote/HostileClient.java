package io.datahop.remote;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that is not a datahop peer ({@code java.net.http.WebSocket}): it sends
 * whatever frames a test lays out, in any order, and records what the peer answers and when it
 * closes. With the secret it can also complete the handshake as a dialer, to play an insider.
 */
final class HostileClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final SecureRandom RANDOM = new SecureRandom();

  final WebSocket ws;
  final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();

  private HostileClient(WebSocket ws) {
    this.ws = ws;
  }

  /** Opens the WebSocket to a peer on loopback; throws if the upgrade is refused. */
  static HostileClient connect(int port, Map<String, String> headers) throws Exception {
    Listener listener = new Listener();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    WebSocket ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + WebSocketServer.PATH), listener).get(20, TimeUnit.SECONDS);
    HostileClient c = listener.client = new HostileClient(ws);
    listener.ready.complete(c);
    return c;
  }

  static HostileClient connect(int port) throws Exception {
    return connect(port, Map.of());
  }

  static byte[] nonce() {
    byte[] n = new byte[32];
    RANDOM.nextBytes(n);
    return n;
  }

  /** Sends one message as one binary frame; false when the connection is already gone. */
  boolean send(Message m) {
    return sendRaw(FrameCodec.encode(m));
  }

  boolean sendRaw(byte[] frame) {
    try {
      ws.sendBinary(ByteBuffer.wrap(frame), true).get(20, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  Message next(Duration within) throws InterruptedException {
    return received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the peer closed the connection within {@code within}. */
  boolean closedWithin(Duration within) {
    try {
      closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return closed.isDone();
    }
  }

  /**
   * The dialer's handshake with {@code secret} under {@code me}, against the peer {@code server};
   * returns the first message the peer sent after this side's proof (its Auth when accepted).
   */
  Message handshake(PeerId me, PeerId server, String secret) throws InterruptedException {
    byte[] mine = nonce();
    send(new Message.Hello(Link.PROTOCOL, me.uuid(), me.name(), "hostile", mine));
    Message hello = next(Duration.ofSeconds(10));
    if (!(hello instanceof Message.Hello h)) {
      return hello;
    }
    SharedSecret s = new SharedSecret(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    PeerId them = new PeerId(h.peer(), h.name());
    send(new Message.Auth(s.proof(SharedSecret.Role.DIALER, new SharedSecret.Transcript(Link.PROTOCOL, mine, h.nonce(), me, them))));
    Message answer = next(Duration.ofSeconds(10));
    if (answer instanceof Message.Auth) {
      Message welcome = next(Duration.ofSeconds(10));
      send(new Message.Welcome(me.name()));
      return welcome;
    }
    return answer;
  }

  @Override
  public void close() {
    ws.abort();
  }

  static UUID uuid() {
    return UUID.randomUUID();
  }

  private static final class Listener implements WebSocket.Listener {
    final CompletableFuture<HostileClient> ready = new CompletableFuture<>();
    volatile HostileClient client;
    private final ByteArrayOutputStream parts = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      parts.writeBytes(b);
      if (last) {
        byte[] frame = parts.toByteArray();
        parts.reset();
        ready.thenAccept(c -> c.received.add(FrameCodec.decode(frame)));
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ready.thenAccept(c -> c.closed.complete("close " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ready.thenAccept(c -> c.closed.complete("error " + error));
    }
  }
}
