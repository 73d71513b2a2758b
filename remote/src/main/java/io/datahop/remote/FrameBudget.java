package io.datahop.remote;

/**
 * The bytes of received frames a peer holds: a fragment counts from its arrival until its message
 * was handled, or for a call until its body ended (the body's captured values are decoded from
 * them). Bounded per connection and in total, so no number of senders can make the peer hold more
 * than {@code total} bytes of frames, nor one sender more than {@code perConnection}. Before its
 * handshake completed a connection may hold at most {@link #PRE_AUTH_MESSAGE} bytes at once and
 * send {@link #PRE_AUTH_TOTAL} in all: a Hello, an Auth and a Welcome fit, a payload does not.
 */
final class FrameBudget {
  /** The largest message, in bytes, a connection may send before its handshake completed. */
  static final int PRE_AUTH_MESSAGE = 4 << 10;
  /** The bytes a connection may send in all before its handshake completed. */
  static final int PRE_AUTH_TOTAL = 16 << 10;

  private final long total;
  private final long perConnection;
  private long used;

  FrameBudget(long total, long perConnection) {
    this.total = total;
    this.perConnection = perConnection;
  }

  long perConnection() {
    return perConnection;
  }

  /** The bytes held now by every connection of this peer. */
  synchronized long used() {
    return used;
  }

  Connection open() {
    return new Connection();
  }

  private synchronized String take(long n) {
    if (used + n > total) {
      return "the peer holds " + used + " bytes of frames and " + n + " more would exceed its total budget of " + total;
    }
    used += n;
    return null;
  }

  private synchronized void give(long n) {
    used -= n;
  }

  /** One connection's share; fragments arrive on its I/O thread, releases come from body threads too. */
  final class Connection {
    private long held;
    private long beforeAuth;
    private boolean authenticated;
    private boolean closed;
    private Runnable onAuthenticated;

    /** Runs {@code r} once, when the connection's handshake completes. */
    synchronized void onAuthenticated(Runnable r) {
      this.onAuthenticated = r;
    }

    /** Counts an arriving fragment of {@code n} bytes; null when it fits, else why it does not. */
    synchronized String reserve(int n) {
      if (closed) {
        return "the connection is closed";
      }
      if (!authenticated) {
        if (held + n > PRE_AUTH_MESSAGE || beforeAuth + n > PRE_AUTH_TOTAL) {
          return "it sent " + (held + n) + " bytes in one message (" + (beforeAuth + n) + " in all) before the handshake completed (limits "
              + PRE_AUTH_MESSAGE + " and " + PRE_AUTH_TOTAL + ")";
        }
        beforeAuth += n;
      } else if (held + n > perConnection) {
        return "it holds " + held + " bytes of frames and " + n + " more would exceed the connection's budget of " + perConnection;
      }
      String refused = take(n);
      if (refused == null) {
        held += n;
      }
      return refused;
    }

    synchronized void release(long n) {
      if (closed || n <= 0) {
        return;
      }
      long r = Math.min(n, held);
      held -= r;
      give(r);
    }

    synchronized long held() {
      return held;
    }

    synchronized boolean isAuthenticated() {
      return authenticated;
    }

    void authenticated() {
      Runnable r;
      synchronized (this) {
        if (authenticated) {
          return;
        }
        authenticated = true;
        r = onAuthenticated;
      }
      if (r != null) {
        r.run();
      }
    }

    /** The connection closed: whatever it held is given back, later releases are ignored. */
    synchronized void close() {
      if (!closed) {
        closed = true;
        give(held);
        held = 0;
      }
    }
  }
}
