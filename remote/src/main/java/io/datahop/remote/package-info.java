/**
 * Remote scope: peers that run each other's lambdas with the values the lambdas captured.
 *
 * <p>The public API is {@link io.datahop.remote.Peer} (with its builder), {@link
 * io.datahop.remote.PeerId}, {@link io.datahop.remote.Remote} (for use inside a running body),
 * {@link io.datahop.remote.SerializableCallable}, the {@link io.datahop.remote.RemoteScope}
 * annotation and {@link io.datahop.remote.RemoteException}. Everything else is package-private:
 * the protocol ({@code Message}, {@code FrameCodec}, {@code Link}, {@code Dispatcher}) knows
 * nothing of Netty, which only appears in {@code WebSocketServer}, {@code Dialer} and
 * {@code WebSocketTransport}. See {@code docs/remote.md} for the protocol and security model.
 */
package io.datahop.remote;
