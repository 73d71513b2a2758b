package io.datahop.remote;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a WebSocket upgrade that carries an {@code Origin} header not on the peer's allowlist
 * ({@link Peer.Builder#allowOrigins}; empty by default). Browsers send that header with every
 * WebSocket they open and scripts cannot remove it, while peers and other programs send none: so
 * a web page open in a browser on this machine cannot drive a peer listening on localhost.
 */
final class OriginCheck extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);

  private final Set<String> allowed;

  OriginCheck(Set<String> allowed) {
    this.allowed = allowed;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      String origin = req.headers().get(HttpHeaderNames.ORIGIN);
      if (origin != null && !allowed.contains(origin)) {
        ReferenceCountUtil.release(msg);
        LOG.warn("refusing a WebSocket upgrade from {}: Origin {} is not allowed (Peer.Builder.allowOrigins)",
            ctx.channel().remoteAddress(), origin.length() > 200 ? origin.substring(0, 200) + "…" : origin);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
            Unpooled.copiedBuffer("origin not allowed\n", StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      // checked once: the connection upgrades or ends with this request
      ctx.pipeline().remove(this);
    }
    ctx.fireChannelRead(msg);
  }
}
