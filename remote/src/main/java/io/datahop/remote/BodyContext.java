package io.datahop.remote;

/**
 * What a running body knows about itself: the peer it runs on, who called it, the caller's
 * authenticated principal ({@code null} without authentication) and its deadline
 * ({@link System#nanoTime()} based), which nested calls inherit.
 */
record BodyContext(Peer peer, PeerId caller, String principal, long deadlineNanos) {}
