package io.cqrsbooks.query.api;

import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.embedded.FreePorts;
import io.cqrsbooks.http.ApiDocument;
import io.cqrsbooks.metrics.Metrics;
import io.cqrsbooks.metrics.MetricsSettings;
import io.cqrsbooks.query.ChangeWindow;
import io.cqrsbooks.query.DeadLetters;
import io.cqrsbooks.query.Operations;
import io.cqrsbooks.query.QueryMetrics;
import io.cqrsbooks.query.QuerySettings;
import io.cqrsbooks.query.QueryStatus;
import io.cqrsbooks.query.RealMongo;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.DeadLetterStore;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The query API's OpenAPI document names every route the router serves, and nothing it does not. */
@ExtendWith(VertxExtension.class)
class QueryApiDocumentTest {

  /** Catch-alls, not operations: unknown API paths answer 404, every other path is the UI's static files. */
  private static final Set<String> NOT_OPERATIONS = Set.of("/api/*", "/api/admin/*", "/*");

  @Test
  void everyRouteIsInTheApiDocumentAndEveryDocumentedOperationIsServed(Vertx vertx) throws Exception {
    int port = FreePorts.pick();
    JsonObject config = new JsonObject(Files.readString(Path.of("../conf/cqrs-books.json")));
    config.getJsonObject("query").put("httpPort", port);
    QuerySettings settings = QuerySettings.from(new Config(config), 8081);
    QueryStatus status = new QueryStatus();
    MongoClient mongo = RealMongo.newDatabase(vertx);
    ReadModel readModel = new ReadModel(mongo, true, new Partitioning(3));
    // The routes are what is checked here; the rebuild behind its route is exercised by the system tests.
    Operations operations = new Operations(
        new DeadLetters(new DeadLetterStore(mongo), new BookProjection(readModel), status), null);
    QueryApiVerticle api = new QueryApiVerticle(settings, Optional.empty(), status, new ChangeWindow(10, 1 << 20),
        readModel, QueryMetrics.disabled(status), Metrics.create(new MetricsSettings(true, 0)), operations);
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);

    JsonObject document = ApiDocument.load(QueryApiVerticle.API_DOCUMENT);
    assertEquals(List.of(), ApiDocument.mismatches(api.router(), document, NOT_OPERATIONS));
    JsonObject served = vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", ApiDocument.PATH)
        .compose(request -> request.send()).compose(response -> response.body())
        .await(10, TimeUnit.SECONDS).toJsonObject();
    assertEquals(document, served);
  }
}
