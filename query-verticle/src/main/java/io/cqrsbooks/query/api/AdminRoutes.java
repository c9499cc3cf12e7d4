package io.cqrsbooks.query.api;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.auth.BearerTokens;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.http.FieldError;
import io.cqrsbooks.query.DeadLetters;
import io.cqrsbooks.query.Operations;
import io.cqrsbooks.query.ReadModelRebuild;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator's routes, under {@code /api/admin}, for bearers of the {@value BearerTokens#ADMIN} scope:
 * rebuild the read model; list, show, retry and discard dead letters. Without a configured signing key no
 * token can be checked, and every admin route answers 503 saying so.
 */
final class AdminRoutes {

  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 100;
  private static final Set<String> PAGE_PARAMETERS = Set.of("offset", "limit");

  private final DeadLetters deadLetters;
  private final ReadModelRebuild rebuild;

  private AdminRoutes(DeadLetters deadLetters, ReadModelRebuild rebuild) {
    this.deadLetters = deadLetters;
    this.rebuild = rebuild;
  }

  static void install(Vertx vertx, Router router, AuthSettings auth, Operations operations) {
    AdminRoutes routes = new AdminRoutes(operations.deadLetters(), operations.rebuild());
    Handler<RoutingContext> admin = auth.hasSecret()
        ? BearerTokens.create(vertx, auth).requiring(BearerTokens.ADMIN)
        : ctx -> ctx.fail(ApiException.unavailable(
            "the admin API needs the token-signing key: set CQRS_AUTH_JWT_SECRET (auth.jwtSecret)"));
    router.route("/api/admin/*").handler(admin);
    router.post("/api/admin/rebuild").handler(routes::startRebuild);
    router.get("/api/admin/dead-letters").handler(routes::listDeadLetters);
    router.post("/api/admin/dead-letters/retry").handler(routes::retryAll);
    router.get("/api/admin/dead-letters/:id").handler(routes::showDeadLetter);
    router.post("/api/admin/dead-letters/:id/retry").handler(routes::retryOne);
    router.delete("/api/admin/dead-letters/:id").handler(routes::discard);
  }

  private void startRebuild(RoutingContext ctx) {
    rebuild.start(who(ctx)).onSuccess(started -> {
      ctx.response().setStatusCode(202).putHeader("Location", "/status");
      ctx.json(started);
    }).onFailure(failure -> ctx.fail(unavailable(failure)));
  }

  private void listDeadLetters(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    ctx.queryParams().names().stream().filter(name -> !PAGE_PARAMETERS.contains(name))
        .forEach(name -> errors.add(new FieldError(name, "unknown parameter")));
    int offset = (int) BookQueryParams.number(ctx.queryParams(), "offset", 0, 0, 1_000_000, errors);
    int limit = (int) BookQueryParams.number(ctx.queryParams(), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    deadLetters.page(offset, limit).onSuccess(ctx::json).onFailure(failure -> ctx.fail(unavailable(failure)));
  }

  private void showDeadLetter(RoutingContext ctx) {
    deadLetters.show(ctx.pathParam("id")).onSuccess(ctx::json).onFailure(failure -> ctx.fail(unavailable(failure)));
  }

  private void retryOne(RoutingContext ctx) {
    deadLetters.retry(ctx.pathParam("id"), who(ctx)).onSuccess(ctx::json).onFailure(failure -> ctx.fail(unavailable(failure)));
  }

  private void retryAll(RoutingContext ctx) {
    deadLetters.retryAll(who(ctx)).onSuccess(ctx::json).onFailure(failure -> ctx.fail(unavailable(failure)));
  }

  private void discard(RoutingContext ctx) {
    deadLetters.discard(ctx.pathParam("id"), who(ctx))
        .onSuccess(gone -> ctx.response().setStatusCode(204).end())
        .onFailure(failure -> ctx.fail(unavailable(failure)));
  }

  /** The token's subject: every admin action is logged with it. */
  private static String who(RoutingContext ctx) {
    return ctx.user() == null || ctx.user().subject() == null ? "unknown" : ctx.user().subject();
  }

  private static Throwable unavailable(Throwable failure) {
    return failure instanceof ApiException ? failure : ApiException.unavailable("the read model is unavailable; try again");
  }

}
