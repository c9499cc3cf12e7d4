package io.cqrsbooks.query.api;

import io.cqrsbooks.contract.ConsistencyToken;
import io.cqrsbooks.http.ApiDocument;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.http.BookResources;
import io.cqrsbooks.http.HeaderDeadline;
import io.cqrsbooks.http.JsonErrors;
import io.cqrsbooks.http.RequestIds;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.query.Operations;
import io.cqrsbooks.query.QueryMetrics;
import io.cqrsbooks.query.ChangeWindow;
import io.cqrsbooks.query.QuerySettings;
import io.cqrsbooks.query.QueryStatus;
import io.cqrsbooks.query.readmodel.BookCriteria;
import io.cqrsbooks.query.readmodel.BookPage;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** The query HTTP API, the live change stream and the web UI, all answered from the read model. */
public final class QueryApiVerticle extends VerticleBase {

  /** Where the webroot module puts the built UI on the classpath. */
  public static final String UI_ROOT = "io/cqrsbooks/ui";
  /** This side's API contract on the classpath. */
  public static final String API_DOCUMENT = "io/cqrsbooks/query/openapi.json";
  /** A searched or filtered list's total is counted this far; past it the answer says {@code totalCapped}. */
  static final long COUNT_CAP = 1000;

  private final QuerySettings settings;
  private final Optional<String> localCommandToken;
  private final QueryStatus status;
  private final ChangeWindow window;
  private final ReadModel readModel;
  private final QueryMetrics meters;
  private final Metrics metrics;
  private final Operations operations;
  private ConsistencyWaiter consistency;
  private ChangeStream changes;
  private Router router;

  public QueryApiVerticle(QuerySettings settings, Optional<String> localCommandToken, QueryStatus status,
                          ChangeWindow window, ReadModel readModel, QueryMetrics meters, Metrics metrics,
                          Operations operations) {
    this.settings = settings;
    this.localCommandToken = localCommandToken;
    this.status = status;
    this.window = window;
    this.readModel = readModel;
    this.meters = meters;
    this.metrics = metrics;
    this.operations = operations;
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
    consistency = new ConsistencyWaiter(vertx, readModel, settings.consistencyTimeout());
    changes = new ChangeStream(vertx, window, status, settings.changeStreamBufferBytes(),
        settings.changeStreamWritesPerSecond(), settings.http().idleTimeout());

    HeaderDeadline headers = settings.http().headerDeadline(vertx);
    router = Router.router(vertx);
    router.route().handler(headers::requestArrived);
    router.route().handler(RequestIds::assign);
    router.route().handler(this::securityHeaders);
    router.get("/api/config").handler(this::clientConfig);
    router.get("/api/books/changes").handler(changes::subscribe);
    router.get("/api/books").handler(this::awaitConsistency).handler(this::listBooks);
    router.get("/api/books/:bid").handler(this::awaitConsistency).handler(this::getBook);
    router.get("/api/categories").handler(this::awaitConsistency).handler(this::listCategories);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/status").handler(this::status);
    AdminRoutes.install(vertx, router, settings.auth(), operations);
    metrics.exposeOn(router);
    ApiDocument.serve(router, apiDocument);
    router.route("/api/*").handler(ctx -> ctx.fail(ApiException.noSuchResource()));
    router.route("/*").handler(StaticHandler.create(UI_ROOT).setCachingEnabled(true));
    JsonErrors.install(router);

    return settings.http().listen(vertx, settings.httpPort(), router, headers)
        .recover(failure -> Future.failedFuture(new IllegalStateException("the query API cannot listen on port "
            + settings.httpPort() + " (set CQRS_QUERY_HTTP_PORT to another port): " + failure.getMessage())));
  }

  /**
   * Where the UI sends commands, and in the embedded launch the local user's command token, handed only
   * to a browser on this machine (a loopback client); anywhere else the UI asks its user for a token.
   */
  private void clientConfig(RoutingContext ctx) {
    JsonObject config = new JsonObject().put("commandUrl", commandUrl(ctx)).put("currency", settings.currency());
    if (localCommandToken.isPresent() && isLoopback(ctx)) {
      config.put("commandToken", localCommandToken.get());
    }
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(config);
  }

  private static boolean isLoopback(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    try {
      return remote != null && remote.hostAddress() != null
          && InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Where the UI sends commands: configured, or the command port on the host the browser used. */
  private String commandUrl(RoutingContext ctx) {
    String configured = settings.commandUrl();
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
    return ctx.request().scheme() + "://" + host + ":" + settings.commandPort();
  }

  /**
   * The page may run only its own scripts and styles and talk only to this origin and the command
   * side; it cannot be framed. Harmless on JSON responses, so every response carries them.
   */
  private void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' " + commandUrl(ctx) + "; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  private void awaitConsistency(RoutingContext ctx) {
    List<String> headers = ctx.request().headers().getAll(ConsistencyToken.HEADER);
    if (headers.isEmpty()) {
      ctx.next();
      return;
    }
    List<ConsistencyToken> tokens = ConsistencyToken.parseAll(headers)
        .orElseThrow(() -> ApiException.invalid(ConsistencyToken.HEADER, "is not a comma-separated list of at most "
            + ConsistencyToken.MAX_PER_QUERY + " tokens this service handed out"));
    consistency.awaitAll(tokens)
        .onComplete(waited -> meters.consistencyWait(waited.succeeded()))
        .onSuccess(caughtUp -> ctx.next()).onFailure(ctx::fail);
  }

  private void listBooks(RoutingContext ctx) {
    BookCriteria criteria = BookQueryParams.parse(ctx.queryParams());
    String sort = (criteria.descending() ? "-" : "") + criteria.sortField();
    Future.all(readModel.findPage(criteria), total(criteria))
        .onSuccess(found -> {
          BookPage page = found.resultAt(0);
          ListTotal total = found.resultAt(1);
          ctx.json(new JsonObject()
              .put("items", new JsonArray(page.items()))
              .put("total", total.count())
              .put("totalCapped", total.capped())
              .put("limit", criteria.limit())
              .put("offset", criteria.offset())
              .put("previous", PageCursor.encode(page.previous(), sort))
              .put("next", PageCursor.encode(page.next(), sort)));
        })
        .onFailure(failure -> handleReadError(ctx, failure));
  }

  /**
   * The list's total: the projection's counts, exact, when at most the category narrows it; else counted,
   * but no further than one past {@link #COUNT_CAP}.
   */
  private Future<ListTotal> total(BookCriteria criteria) {
    if (criteria.countedByProjection()) {
      return readModel.counts().read().map(totals -> ListTotal.kept(criteria.category() == null
          ? totals.total()
          : totals.categories().getOrDefault(criteria.category(), 0L)));
    }
    return readModel.countBooks(criteria.unpaged(), COUNT_CAP + 1).map(counted -> ListTotal.counted(counted, COUNT_CAP));
  }

  private void listCategories(RoutingContext ctx) {
    readModel.counts().read()
        .onSuccess(totals -> {
          JsonArray categories = new JsonArray();
          totals.categories().forEach((name, count) -> categories.add(new JsonObject().put("name", name).put("count", count)));
          ctx.json(new JsonObject().put("categories", categories).put("total", totals.total()));
        })
        .onFailure(failure -> handleReadError(ctx, failure));
  }

  private void getBook(RoutingContext ctx) {
    long bid = BookResources.bid(ctx);
    readModel.findBook(bid)
        .onSuccess(book -> {
          if (book == null) {
            ctx.fail(ApiException.notFound("book " + bid + " does not exist"));
          } else {
            ctx.response().putHeader("ETag", BookResources.etag(book.getLong("version")));
            ctx.json(book);
          }
        })
        .onFailure(failure -> handleReadError(ctx, failure));
  }

  /** 200 once the read model is bootstrapped, consumed and reachable; 503 otherwise, with the state. */
  private void ready(RoutingContext ctx) {
    currentState().onSuccess(state -> {
      ctx.response().setStatusCode(state.getString("status").equals("READY") ? 200 : 503);
      ctx.json(state);
    });
  }

  /** The same state for an operator, always 200, with the dead letters waiting (a count /ready's probes need not pay). */
  private void status(RoutingContext ctx) {
    Future<JsonObject> state = currentState();
    Future<Long> waiting = operations.deadLetters().waiting();
    Future.join(state, waiting).onComplete(done -> {
      JsonObject answer = state.result().put("deadLettersWaiting", waiting.succeeded() ? waiting.result() : null);
      ctx.response().putHeader("Cache-Control", "no-store");
      ctx.json(answer);
    });
  }

  private Future<JsonObject> currentState() {
    return readModel.ping().transform(pinged -> {
      boolean ready = pinged.succeeded() && status.isReady();
      return Future.succeededFuture(status.toJson().put("mongo", pinged.succeeded() ? "UP" : "DOWN")
          .put("status", ready ? "READY" : "NOT_READY"));
    });
  }

  private void handleReadError(RoutingContext ctx, Throwable failure) {
    ctx.fail(failure instanceof ApiException ? failure : ApiException.unavailable("the read model is unavailable; try again"));
  }
}
