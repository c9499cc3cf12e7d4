package io.cqrsbooks.query;

import io.cqrsbooks.config.Config;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How to reach MongoDB: the {@code mongo} section of the configuration.
 *
 * @param socketTimeout how long an operation may wait for MongoDB's answer on its connection. Without a limit
 *     (the driver's default), an operation sent on a connection that went silent (a partition, a host gone
 *     without closing it) waited for ever: the projection stopped applying while the process still said it
 *     was ready, and resumed only when it was restarted. With one, the operation fails and is retried on a
 *     new connection. It must outlast the longest operation the read model issues (a recount, a scan on the
 *     stand-in).
 */
public record MongoSettings(String connectionString, String database, boolean atomicVersionGuard,
                            Duration socketTimeout) {

  public static MongoSettings from(Config config) {
    return new MongoSettings(config.required("mongo.connectionString"), config.required("mongo.database"),
        config.flag("mongo.atomicVersionGuard"), config.seconds("mongo.socketTimeoutSeconds"));
  }

  public JsonObject clientConfig() {
    return new JsonObject()
        .put("connection_string", connectionString)
        .put("db_name", database)
        .put("serverSelectionTimeoutMS", 5000)
        .put("connectTimeoutMS", 5000)
        .put("socketTimeoutMS", socketTimeout.toMillis());
  }
}
