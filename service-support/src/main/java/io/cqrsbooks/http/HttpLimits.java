package io.cqrsbooks.http;

import io.cqrsbooks.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.PlatformHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What one client may hold of a server: headers of at most 8 KiB (431 beyond), a request line of at
 * most 4 KiB (414), a connection silent for {@code idleTimeout} is closed, a connection whose next
 * request's headers have not arrived within {@code idleTimeout} plus {@code requestTimeout} of connecting or of
 * its last answer is closed, and a request whose body is
 * still arriving after {@code requestTimeout} is answered 408 and its connection closed (a client sending
 * one byte a second). The deadlines cover arrival only, never the work done with a request: a command
 * is answered with what its transaction did, however long that takes.
 */
public record HttpLimits(Duration idleTimeout, Duration requestTimeout) {

  public static final int MAX_HEADER_BYTES = 8 * 1024;
  public static final int MAX_REQUEST_LINE_BYTES = 4 * 1024;

  public static HttpLimits from(Config config) {
    return new HttpLimits(config.seconds("http.idleTimeoutSeconds"), config.millis("http.requestTimeoutMillis"));
  }

  /** The deadline for each request's headers; its {@code requestArrived} must be the router's first handler. */
  public HeaderDeadline headerDeadline(Vertx vertx) {
    return new HeaderDeadline(vertx, idleTimeout.toMillis() + requestTimeout.toMillis());
  }

  /** Starts an HTTP server for the router with these limits, timing each connection's requests with {@code headers}. */
  public Future<HttpServer> listen(Vertx vertx, int port, Router router, HeaderDeadline headers) {
    return vertx.createHttpServer(serverOptions(port))
        .connectionHandler(headers::connected)
        .requestHandler(router)
        .listen();
  }

  HttpServerOptions serverOptions(int port) {
    return new HttpServerOptions()
        .setPort(port)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
        .setIdleTimeout((int) idleTimeout.toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** Before the body handler: answers 408 and closes the connection if the request has not fully arrived in time. */
  public PlatformHandler bodyDeadline() {
    return ctx -> {
      long timer = ctx.vertx().setTimer(requestTimeout.toMillis(), expired -> {
        if (!ctx.request().isEnded()) {
          // The body handler still waits for the rest, so this answers directly rather than failing the context.
          JsonErrors.send(ctx, ApiException.bodyTooSlow(requestTimeout.toMillis()));
          ctx.request().connection().close();
        }
      });
      ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
      ctx.next();
    };
  }
}
