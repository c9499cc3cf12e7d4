package io.cqrsbooks.query;

import io.vertx.core.json.JsonObject;

/** How to reach MongoDB: the {@code mongo} section of the configuration. */
public record MongoSettings(String connectionString, String database, boolean atomicVersionGuard) {

  public static MongoSettings fromJson(JsonObject mongo) {
    return new MongoSettings(mongo.getString("connectionString"), mongo.getString("database"),
        mongo.getBoolean("atomicVersionGuard", true));
  }

  public JsonObject clientConfig() {
    return new JsonObject()
        .put("connection_string", connectionString)
        .put("db_name", database)
        .put("serverSelectionTimeoutMS", 5000)
        .put("connectTimeoutMS", 5000);
  }
}
