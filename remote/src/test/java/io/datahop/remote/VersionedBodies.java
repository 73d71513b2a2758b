package io.datahop.remote;

/** A body whose class another build compiles differently (see PeerFailureProcessTest). */
@RemoteScope
final class VersionedBodies {
  private VersionedBodies() {}

  static SerializableCallable<String> version() {
    return () -> "v1";
  }
}
