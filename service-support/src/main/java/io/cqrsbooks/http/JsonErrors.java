package io.cqrsbooks.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The one place where failures become HTTP responses: a JSON body, the right status, never a stack trace. */
public final class JsonErrors {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {
  }

  /** Answers unknown paths, wrong methods and every failed route of the router in JSON. */
  public static void install(Router router) {
    router.errorHandler(404, ctx -> send(ctx, new ApiException(404, "no such resource", List.of())));
    router.errorHandler(405, ctx -> send(ctx, new ApiException(405, "method not allowed", List.of())));
    router.route().failureHandler(JsonErrors::handleFailure);
  }

  public static void send(RoutingContext ctx, ApiException error) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (error.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"cqrs-books\"");
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error.toJson().encode());
  }

  private static void handleFailure(RoutingContext ctx) {
    send(ctx, toApiException(ctx.failure(), ctx.statusCode()));
  }

  static ApiException toApiException(Throwable failure, int statusCode) {
    if (failure instanceof ApiException api) {
      return api;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    return switch (status) {
      case 400 -> ApiException.invalid("body", "the request body could not be read");
      case 404 -> new ApiException(404, "no such resource", List.of());
      case 405 -> new ApiException(405, "method not allowed", List.of());
      case 413 -> new ApiException(413, "request body too large", List.of(new FieldError("body", "at most 64 KiB")));
      case 415 -> new ApiException(415, "unsupported media type",
          List.of(new FieldError("Content-Type", "must be application/json")));
      case 401 -> new ApiException(401, "authentication required",
          List.of(new FieldError("Authorization", "must be 'Bearer <token>' with a valid, unexpired command token")));
      case 403 -> new ApiException(403, "forbidden",
          List.of(new FieldError("Authorization", "the token may not send commands")));
      default -> {
        if (status >= 400 && status < 500) {
          yield new ApiException(status, HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(), List.of());
        }
        LOG.error("request failed", failure);
        yield new ApiException(500, "internal error", List.of());
      }
    };
  }
}
