package io.datahop.remote;

import io.datahop.wire.Codec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Everything a peer's links need, fixed when the peer is built. */
record PeerConfig(
    PeerId id,
    String build,
    Codec codec,
    SharedSecret secret,
    LambdaLoader loader,
    Executor executor,
    Linger linger,
    ScheduledExecutorService scheduler,
    int maxInFlight,
    int maxQueued,
    int maxBodies,
    Duration defaultDeadline,
    Duration handshakeTimeout,
    Duration reconnectMin,
    Duration reconnectMax,
    long bodyCacheBytes,
    FrameBudget frameBudget,
    Admission admission,
    Set<String> allowedOrigins,
    Tls tls,
    boolean insecure) {}
