package io.cqrsbooks.query;

import io.cqrsbooks.config.Config;
import io.vertx.core.json.JsonObject;

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
}
