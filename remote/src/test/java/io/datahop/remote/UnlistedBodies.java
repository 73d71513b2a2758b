package io.datahop.remote;

import java.util.concurrent.atomic.AtomicInteger;

/** Bodies from a class that no peer allows: neither annotated nor registered. */
final class UnlistedBodies {
  static final AtomicInteger RAN = new AtomicInteger();

  private UnlistedBodies() {}

  static SerializableCallable<String> body() {
    return () -> {
      RAN.incrementAndGet();
      return "ran";
    };
  }
}
