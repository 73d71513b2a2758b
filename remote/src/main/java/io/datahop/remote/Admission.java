package io.datahop.remote;

/**
 * Counts a listening peer's inbound connections: at most {@code max} open, of which at most
 * {@code maxHandshaking} have not completed their handshake. The second limit is the one a flood
 * of strangers meets first, so it can hold few slots, each for at most the handshake deadline,
 * while authenticated peers keep theirs.
 */
final class Admission {
  private final int max;
  private final int maxHandshaking;
  private int open;
  private int handshaking;

  Admission(int max, int maxHandshaking) {
    this.max = max;
    this.maxHandshaking = maxHandshaking;
  }

  /** Admits a new connection; null when admitted, else why not. */
  synchronized String admit() {
    if (open >= max) {
      return "the peer has " + open + " connections (maxConnections " + max + ")";
    }
    if (handshaking >= maxHandshaking) {
      return "the peer has " + handshaking + " connections that have not completed the handshake (maxHandshaking " + maxHandshaking + ")";
    }
    open++;
    handshaking++;
    return null;
  }

  /** An admitted connection completed its handshake. */
  synchronized void authenticated() {
    handshaking--;
  }

  /** An admitted connection closed; {@code authenticated} says whether it had been counted so. */
  synchronized void closed(boolean authenticated) {
    open--;
    if (!authenticated) {
      handshaking--;
    }
  }

  synchronized int open() {
    return open;
  }
}
