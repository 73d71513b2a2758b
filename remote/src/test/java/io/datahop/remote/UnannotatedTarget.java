package io.datahop.remote;

/** A class of the class path that is not remote-callable: a call naming it must not even load it. */
final class UnannotatedTarget {
  private UnannotatedTarget() {}
}
