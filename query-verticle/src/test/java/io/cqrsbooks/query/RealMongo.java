package io.cqrsbooks.query;

import io.cqrsbooks.embedded.EmbeddedMongo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MongoDB-wire server for this module's tests, started once per test JVM; each test takes a
 * database of its own, so tests do not see each other's documents.
 */
public final class RealMongo {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedMongo server;

  private RealMongo() {
  }

  /** A client on a new, empty database. */
  public static synchronized MongoClient newDatabase(Vertx vertx) {
    if (server == null) {
      server = EmbeddedMongo.start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "query-tests-mongo"));
    }
    return MongoClient.create(vertx, new JsonObject()
        .put("connection_string", server.connectionString())
        .put("db_name", "query_test_" + DATABASES.incrementAndGet()));
  }
}
