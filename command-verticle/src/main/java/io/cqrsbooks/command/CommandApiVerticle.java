package io.cqrsbooks.command;

import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.contract.ConsistencyToken;
import io.cqrsbooks.http.ApiDocument;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.http.BookResources;
import io.cqrsbooks.http.HeaderDeadline;
import io.cqrsbooks.http.HttpLimits;
import io.cqrsbooks.http.JsonErrors;
import io.cqrsbooks.http.RequestIds;
import io.cqrsbooks.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The command HTTP API: check the bearer token, validate, run one transaction, answer with the book and
 * a consistency token.
 */
public final class CommandApiVerticle extends VerticleBase {

  static final int MAX_BODY_BYTES = 64 * 1024;
  static final String POOL_NAME = "cqrs-books-commands";
  /** This side's API contract, beside this class on the classpath. */
  public static final String API_DOCUMENT = "io/cqrsbooks/command/openapi.json";

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final CommandSettings settings;
  private final RelayStatus relay;
  private final CommandMetrics meters;
  private final Metrics metrics;
  private Pool pool;
  private HttpServer server;
  private BookStore books;
  private Router router;

  CommandApiVerticle(CommandSettings settings, RelayStatus relay, CommandMetrics meters, Metrics metrics) {
    this.settings = settings;
    this.relay = relay;
    this.meters = meters;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> ApiDocument.load(API_DOCUMENT)).compose(this::listen);
  }

  /** The routes this API serves, once started: for the test that holds them against the API document. */
  Router router() {
    return router;
  }

  private Future<?> listen(JsonObject apiDocument) {
    pool = settings.mysql().sharedPool(vertx, POOL_NAME);
    books = new BookStore(pool, () -> vertx.eventBus().send(OutboxRelay.WAKE_ADDRESS, null));

    AuthenticationHandler authenticated = BearerTokens.create(vertx, settings.auth()).requiring(BearerTokens.WRITE);
    HttpLimits limits = settings.http();

    HeaderDeadline headers = limits.headerDeadline(vertx);
    router = Router.router(vertx);
    router.route().handler(headers::requestArrived);
    router.route().handler(RequestIds::assign);
    router.route().handler(meters::countCommand);
    router.route().handler(this::refuseForeignOrigins);
    router.route().handler(corsHandler());
    router.post("/api/books").handler(limits.bodyDeadline()).handler(bodyHandler())
        .handler(authenticated).handler(this::requireJson).handler(this::createBook);
    router.put("/api/books/:bid").handler(limits.bodyDeadline()).handler(bodyHandler())
        .handler(authenticated).handler(this::requireJson).handler(this::replaceBook);
    router.delete("/api/books/:bid").handler(authenticated).handler(this::deleteBook);
    router.get("/api/token").handler(authenticated).handler(this::describeToken);
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/status").handler(this::status);
    metrics.exposeOn(router);
    ApiDocument.serve(router, apiDocument);
    JsonErrors.install(router);

    return limits.listen(vertx, settings.httpPort(), router, headers)
        .onSuccess(listening -> server = listening)
        .recover(failure -> Future.failedFuture(new IllegalStateException("the command API cannot listen on port "
            + settings.httpPort() + " (set CQRS_COMMAND_HTTP_PORT to another port): " + failure.getMessage())));
  }

  /**
   * Stops taking commands and lets the ones under way finish (the connections within {@link #STOP_GRACE}, the
   * transactions within twice that in all): each is answered, and its commit's wake-up reaches the relay, which
   * the command side stops after this.
   */
  @Override
  public Future<?> stop() {
    Future<Void> answered = server == null ? Future.succeededFuture() : server.shutdown(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    return answered
        .transform(done -> books == null ? Future.succeededFuture() : books.settled())
        .timeout(2 * STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .transform(settled -> pool == null ? Future.succeededFuture() : pool.close());
  }

  private CorsHandler corsHandler() {
    return CorsHandler.create()
        .addOrigins(settings.corsOrigins())
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
        .allowedHeaders(Set.of("Content-Type", Preconditions.IF_MATCH, "Authorization", RequestIds.HEADER))
        .exposedHeaders(Set.of("ETag", "Location", ConsistencyToken.HEADER, RequestIds.HEADER));
  }

  /** Refused here, as our own error, rather than by the CORS handler with a failure that only its text names. */
  private void refuseForeignOrigins(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !settings.corsOrigins().contains(origin)) {
      ctx.fail(ApiException.foreignOrigin());
      return;
    }
    ctx.next();
  }

  private static BodyHandler bodyHandler() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  private void requireJson(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      ctx.fail(ApiException.unsupportedMediaType());
      return;
    }
    ctx.next();
  }

  private void createBook(RoutingContext ctx) {
    BookInput input = BookValidator.validate(jsonBody(ctx));
    books.create(input, RequestIds.of(ctx))
        .onSuccess(event -> {
          ctx.response().putHeader(HttpHeaders.LOCATION, "/api/books/" + event.bid());
          respondWithBook(ctx, 201, event);
        })
        .onFailure(failure -> handleCommandError(ctx, failure));
  }

  private void replaceBook(RoutingContext ctx) {
    long bid = BookResources.bid(ctx);
    OptionalLong expected = Preconditions.expectedVersion(ctx.request().getHeader(Preconditions.IF_MATCH));
    BookInput input = BookValidator.validate(jsonBody(ctx));
    books.replace(bid, input, expected, RequestIds.of(ctx))
        .onSuccess(event -> respondWithBook(ctx, 200, event))
        .onFailure(failure -> handleCommandError(ctx, failure));
  }

  private void deleteBook(RoutingContext ctx) {
    long bid = BookResources.bid(ctx);
    OptionalLong expected = Preconditions.expectedVersion(ctx.request().getHeader(Preconditions.IF_MATCH));
    books.delete(bid, expected, RequestIds.of(ctx))
        .onSuccess(event -> {
          ctx.response().setStatusCode(204)
              .putHeader(ConsistencyToken.HEADER, event.consistencyToken().encode())
              .end();
        })
        .onFailure(failure -> handleCommandError(ctx, failure));
  }

  /** Lets a client check a token before offering commands: who it names and until when it is valid. */
  private void describeToken(RoutingContext ctx) {
    User user = ctx.user();
    Number expires = user.get("exp");
    ctx.json(new JsonObject()
        .put("subject", user.subject())
        .put("scope", user.<String>get("scope"))
        .put("expiresAt", expires == null ? null : Instant.ofEpochSecond(expires.longValue()).toString()));
  }

  private void health(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  /** Ready when MySQL answers (the API starts only after the migrations were applied). */
  private void ready(RoutingContext ctx) {
    pool.query(CommandSql.PING).execute().onComplete(pinged -> {
      ctx.response().setStatusCode(pinged.succeeded() ? 200 : 503);
      ctx.json(new JsonObject().put("status", pinged.succeeded() ? "READY" : "NOT_READY")
          .put("mysql", pinged.succeeded() ? "UP" : "DOWN"));
    });
  }

  /** What an operator needs: MySQL reachable, the relay's state, and the outbox backlog. Always 200. */
  private void status(RoutingContext ctx) {
    pool.query(CommandSql.OUTBOX_BACKLOG).execute().onComplete(backlog -> {
      JsonObject body = new JsonObject().put("relay", relay.toJson());
      if (backlog.succeeded()) {
        Row row = backlog.result().iterator().next();
        LocalDateTime oldest = row.getLocalDateTime(1);
        body.put("mysql", "UP").put("outbox", new JsonObject()
            .put("unpublished", row.getLong(0))
            .put("oldestUnpublishedAgeMillis", oldest == null ? null
                : Math.max(0, Duration.between(oldest.toInstant(ZoneOffset.UTC), Instant.now()).toMillis())));
      } else {
        body.put("mysql", "DOWN").put("problem", "MySQL is unreachable: " + backlog.cause().getMessage());
      }
      ctx.response().putHeader("Cache-Control", "no-store");
      ctx.json(body);
    });
  }

  private void respondWithBook(RoutingContext ctx, int status, BookEvent event) {
    HttpServerResponse response = ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ETAG, BookResources.etag(event.version()))
        .putHeader(ConsistencyToken.HEADER, event.consistencyToken().encode());
    response.end(BookJson.encode(event.book()));
  }

  /** A refusal passes as it is; MySQL's own errors are ours (500); anything else means the database is away. */
  private void handleCommandError(RoutingContext ctx, Throwable failure) {
    ctx.fail(failure instanceof ApiException || failure instanceof MySQLException
        ? failure
        : ApiException.unavailable("the database is unavailable; nothing was written, try again"));
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    if (ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw ApiException.invalid("body", "is required");
    }
    Object value;
    try {
      value = Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      throw ApiException.invalid("body", "is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.invalid("body", "must be a JSON object");
    }
    return object;
  }

}
