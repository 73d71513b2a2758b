package io.datahop.examples;

import io.datahop.remote.Peer;
import io.datahop.remote.PeerId;
import io.datahop.wire.FressianCodec;

/** A peer that never opened the example store: it must refuse Dbs of that store clearly. */
public final class StrangerMain {
  private StrangerMain() {}

  public static void main(String[] args) throws Exception {
    Peer peer = Peer.builder().id(PeerId.of("stranger")).codec(FressianCodec.standard()).build().listen(0);
    System.out.println("Server listening on port " + peer.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
