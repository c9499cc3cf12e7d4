package io.cqrsbooks.embedded;

import io.cqrsbooks.config.EmbeddedServers;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Starts MariaDB, Kafka and the MongoDB-wire server side by side and says how to reach them. */
public final class LocalServers implements EmbeddedServers {

  public static final String DATABASE = "cqrs_books";

  private EmbeddedMariaDb mariaDb;
  private EmbeddedKafka kafka;
  private EmbeddedMongo mongo;

  @Override
  public JsonObject start(Path dataDir, Ports ports) throws Exception {
    // The three start independently; in parallel the launch is as slow as the slowest one.
    var mariaDbStart = CompletableFuture.supplyAsync(() -> unchecked(
        () -> EmbeddedMariaDb.start(dataDir, ports.mysql(), DATABASE)));
    var kafkaStart = CompletableFuture.supplyAsync(() -> unchecked(
        () -> EmbeddedKafka.start(dataDir.resolve("kafka"), ports.kafka())));
    mongo = EmbeddedMongo.start(ports.mongo());
    try {
      mariaDb = mariaDbStart.join();
      kafka = kafkaStart.join();
    } catch (CompletionException e) {
      close();
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    return connectionSettings();
  }

  public JsonObject connectionSettings() {
    return new JsonObject()
        .put("mysql", new JsonObject()
            .put("host", "127.0.0.1")
            .put("port", mariaDb.port())
            .put("database", DATABASE)
            .put("user", "root")
            .put("password", ""))
        .put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers()))
        // One query process writes here, so the lookup before each write is guard enough (see ReadModel).
        .put("mongo", new JsonObject().put("connectionString", mongo.connectionString()).put("atomicVersionGuard", false));
  }

  public EmbeddedMariaDb mariaDb() {
    return mariaDb;
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedMongo mongo() {
    return mongo;
  }

  @Override
  public void close() {
    // Kafka first: it is the one that logs loudly when its peers vanish.
    if (kafka != null) {
      kafka.close();
    }
    if (mongo != null) {
      mongo.close();
    }
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  private interface Start<T> {
    T call() throws Exception;
  }

  private static <T> T unchecked(Start<T> start) {
    try {
      return start.call();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }
}
