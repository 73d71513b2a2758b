package io.datahop.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.datahop.DatahopException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded random mix of concurrent calls between two peers over the in-memory pipe (values,
 * nulls, throws, cancels, deadlines, nested hops), each checked against what it should give.
 * Pin a seed with {@code -Ddatahop.seed=N}; {@code -Ddatahop.long=true} runs many more calls.
 */
@RemoteScope
class RandomCallsTest {
  private enum Kind { VALUE, NULL, THROW, CANCEL, DEADLINE, HOP }

  private record Expected(Kind kind, Object value, CompletableFuture<Object> call) {}

  @Test
  void aRandomMixOfConcurrentCallsEachGetsItsOwnOutcome() throws Exception {
    long seed = Long.getLong("datahop.seed", System.nanoTime());
    int calls = Boolean.getBoolean("datahop.long") ? 5_000 : 300;
    SplittableRandom random = new SplittableRandom(seed);
    try (Peer a = Peer.builder().id(PeerId.of("a")).maxInFlight(16).build();
        Peer b = Peer.builder().id(PeerId.of("b")).build()) {
      MemoryPipe pipe = MemoryPipe.connect(a, b);
      PeerId ida = a.id();
      List<Expected> all = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        long n = random.nextLong();
        String text = "s" + random.nextInt(1000);
        CompletableFuture<Object> f = switch (kind) {
          case VALUE -> a.on(b.id(), () -> Arrays.<Object>asList(n, text, null));
          case NULL -> a.on(b.id(), () -> null);
          case THROW -> a.on(b.id(), () -> {
            throw new IllegalStateException(text);
          });
          case CANCEL -> a.on(b.id(), () -> {
            Thread.sleep(60_000);
            return "not cancelled";
          });
          case DEADLINE -> a.on(b.id(), Duration.ofMillis(50), () -> {
            Thread.sleep(60_000);
            return "no deadline";
          });
          case HOP -> a.on(b.id(), () -> Remote.on(ida, () -> n + 1).join());
        };
        Object value = switch (kind) {
          case VALUE -> Arrays.<Object>asList(n, text, null);
          case THROW -> text;
          case HOP -> n + 1;
          default -> null;
        };
        if (kind == Kind.CANCEL && random.nextBoolean()) {
          f.cancel(true);
        }
        all.add(new Expected(kind, value, f));
      }
      for (Expected e : all) {
        if (e.kind() == Kind.CANCEL && !e.call().isDone()) {
          e.call().cancel(true);
        }
      }
      for (int i = 0; i < all.size(); i++) {
        check(all.get(i), "seed " + seed + ", call " + i + " (" + all.get(i).kind() + ")");
      }
      // cancels and deadlines gave their in-flight slots back: one more call still goes through
      assertThat(a.on(b.id(), () -> "still serving").get(10, TimeUnit.SECONDS)).as("seed " + seed).isEqualTo("still serving");
      pipe.close();
    }
  }

  private static void check(Expected e, String where) throws Exception {
    CompletableFuture<Object> f = e.call();
    switch (e.kind()) {
      case VALUE, NULL, HOP -> assertThat(f.get(20, TimeUnit.SECONDS)).as(where).isEqualTo(e.value());
      case THROW -> {
        Throwable t = outcome(f, where);
        assertThat(t).as(where).isInstanceOf(RemoteException.class);
        assertThat(((RemoteException) t).remoteMessage()).as(where).isEqualTo(e.value());
      }
      case CANCEL -> assertThat(outcome(f, where)).as(where).isInstanceOf(CancellationException.class);
      case DEADLINE -> {
        Throwable t = outcome(f, where);
        assertThat(t).as(where).isInstanceOf(DatahopException.Unavailable.class);
        assertThat(((DatahopException) t).code()).as(where).isEqualTo("remote/deadline");
      }
    }
  }

  private static Throwable outcome(CompletableFuture<Object> f, String where) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (CancellationException e) {
      return e;
    }
    throw new AssertionError(where + ": expected a failure");
  }
}
