package io.datahop.remote;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connects two peers without a socket: each side's messages are laid out by {@link FrameCodec}
 * and read back on the other side's own single thread (as a Netty event loop would deliver
 * them). Pausing reading holds messages back, like a stopped channel.
 */
final class MemoryPipe {
  final End a;
  final End b;

  private MemoryPipe(Peer left, Peer right) {
    a = new End("memory:" + left.id().name());
    b = new End("memory:" + right.id().name());
    a.other = b;
    b.other = a;
    a.link = left.newLink(a, null, true, null);
    b.link = right.newLink(b, null, false, null);
  }

  /** Connects {@code left} and {@code right} and starts both handshakes. */
  static MemoryPipe connect(Peer left, Peer right) {
    MemoryPipe pipe = new MemoryPipe(left, right);
    // b may be closed already: a's start can reach it, and b can refuse a (authentication) and
    // close before this thread gets to b's start
    End.run(pipe.a.loop, pipe.a.link::start);
    End.run(pipe.b.loop, pipe.b.link::start);
    return pipe;
  }

  void close() {
    a.close();
  }

  static final class End implements Transport {
    final ExecutorService loop;
    private final String name;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private End other;
    private Link link;
    private boolean reading = true;
    final AtomicInteger sent = new AtomicInteger();
    private volatile boolean closed;

    End(String name) {
      this.name = name;
      this.loop = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    @Override
    public void send(Message message) {
      byte[] bytes = FrameCodec.encode(message);
      sent.incrementAndGet();
      if (!closed) {
        run(other.loop, () -> other.deliver(bytes));
      }
    }

    private static void run(ExecutorService loop, Runnable task) {
      try {
        loop.execute(task);
      } catch (RejectedExecutionException e) {
        // that end is closed already
      }
    }

    private void deliver(byte[] bytes) {
      if (closed) {
        return;
      }
      if (!reading) {
        held.add(bytes);
        return;
      }
      link.receive(FrameCodec.decode(bytes));
    }

    @Override
    public void sendAndClose(Message message) {
      send(message);
      close();
    }

    @Override
    public void close() {
      if (!closed) {
        run(loop, this::shut);
        run(other.loop, other::shut);
      }
    }

    private void shut() {
      if (!closed) {
        closed = true;
        link.closed();
        loop.shutdown();
      }
    }

    @Override
    public void setReading(boolean on) {
      run(loop, () -> {
        reading = on;
        while (reading && !held.isEmpty() && !closed) {
          link.receive(FrameCodec.decode(held.poll()));
        }
      });
    }

    Link link() {
      return link;
    }

    @Override
    public String describe() {
      return name;
    }
  }
}
