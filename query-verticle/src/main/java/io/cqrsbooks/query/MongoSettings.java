package io.cqrsbooks.query;

import com.mongodb.MongoClientSettings;
import com.mongodb.connection.TransportSettings;
import io.cqrsbooks.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;

/** How to reach MongoDB: the {@code mongo} section of the configuration. */
public record MongoSettings(String connectionString, String database, boolean atomicVersionGuard) {

  public static MongoSettings from(Config config) {
    return new MongoSettings(config.required("mongo.connectionString"), config.required("mongo.database"),
        config.flag("mongo.atomicVersionGuard"));
  }

  public JsonObject clientConfig() {
    return new JsonObject()
        .put("connection_string", connectionString)
        .put("db_name", database)
        .put("serverSelectionTimeoutMS", 5000)
        .put("connectTimeoutMS", 5000);
  }

  /**
   * A client shared under {@code name}, on the driver's own asynchronous sockets. The Vert.x client would run
   * the driver on Netty, whose buffers the driver reads and writes one byte at a time through Netty's checks:
   * in a query process at 200 writes/s, encoding commands that way took half the process's CPU (JFR,
   * docs/performance.md). The results still arrive on the caller's Vert.x context.
   */
  public MongoClient createShared(Vertx vertx, String name) {
    MongoClientSettings vertxDefaults = new MongoClientOptionsParser(vertx, clientConfig()).settings();
    MongoClientSettings settings = MongoClientSettings.builder(vertxDefaults)
        .transportSettings(TransportSettings.asyncBuilder().build())
        .build();
    return MongoClient.createWithMongoSettings(vertx, clientConfig(), name, settings);
  }
}
