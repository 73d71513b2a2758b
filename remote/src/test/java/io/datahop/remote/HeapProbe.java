package io.datahop.remote;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** A body that reports its peer's live heap: bytes used right after full collections. */
@RemoteScope
final class HeapProbe {
  private HeapProbe() {}

  /** The heap {@code target} uses after GC, in bytes, asked from {@code from}. */
  static long liveHeap(Peer from, PeerId target) throws Exception {
    return from.on(target, () -> {
      System.gc();
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }).get(30, TimeUnit.SECONDS);
  }
}
