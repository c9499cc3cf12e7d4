package io.cqrsbooks.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The one place where failures become HTTP responses: a JSON body, the status {@link ApiException} chose (or
 * the framework's, mapped here), never a stack trace. Handlers throw or {@code ctx.fail} and this answers.
 */
public final class JsonErrors {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {
  }

  /** Answers unknown paths, wrong methods and every failed route of the router in JSON. */
  public static void install(Router router) {
    router.errorHandler(404, ctx -> send(ctx, ApiException.noSuchResource()));
    router.errorHandler(405, ctx -> send(ctx, ApiException.methodNotAllowed()));
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
      case 401 -> ApiException.unauthenticated();
      case 403 -> ApiException.notPermitted();
      case 404 -> ApiException.noSuchResource();
      case 405 -> ApiException.methodNotAllowed();
      case 413 -> ApiException.bodyTooLarge();
      case 415 -> ApiException.unsupportedMediaType();
      default -> {
        if (status >= 400 && status < 500) {
          yield ApiException.clientError(status, HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase());
        }
        LOG.error("request failed", failure);
        yield ApiException.internal();
      }
    };
  }
}
