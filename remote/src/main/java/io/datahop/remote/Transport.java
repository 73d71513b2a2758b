package io.datahop.remote;

/**
 * What a {@link Link} needs from a connection: send a message, close, and pause reading for
 * backpressure. Netty's WebSocket channel is one implementation ({@link WebSocketTransport});
 * tests connect two links through an in-memory pipe, with no socket.
 */
interface Transport {
  /** Sends one message; callable from any thread; never blocks. */
  void send(Message message);

  /** Sends one last message, then closes. */
  void sendAndClose(Message message);

  /** Closes the connection; the link learns of it through {@link Link#closed()}. */
  void close();

  /** Stops (false) or resumes (true) reading messages, so a busy peer slows its callers down. */
  void setReading(boolean reading);

  /** The other end, for logs and errors. */
  String describe();
}
