package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.http.HttpLimits;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The query side's part of the configuration (already checked by the launcher). */
public record QuerySettings(
    int httpPort,
    int instances,
    HttpLimits http,
    String commandUrl,
    String localCommandToken,
    int commandPort,
    Duration consistencyTimeout,
    int bootstrapBatchSize,
    boolean joinCurrentReadModel,
    Duration readModelCheckEvery,
    int changeReplayWindow,
    int changeStreamBufferBytes,
    MySqlSettings mysql,
    KafkaSettings kafka,
    MongoSettings mongo) {

  public static QuerySettings fromJson(JsonObject config) {
    JsonObject query = config.getJsonObject("query");
    return new QuerySettings(
        query.getInteger("httpPort"),
        query.getInteger("instances", 1),
        HttpLimits.fromJson(config),
        query.getString("commandUrl", ""),
        config.getJsonObject("auth", new JsonObject()).getString("localToken"),
        config.getJsonObject("command").getInteger("httpPort"),
        Duration.ofMillis(query.getLong("consistencyTimeoutMillis", 5000L)),
        query.getInteger("bootstrapBatchSize", 1000),
        query.getString("bootstrap", "auto").equals("auto"),
        Duration.ofMillis(query.getLong("readModelCheckMillis", 1000L)),
        query.getInteger("changeReplayWindow", 10_000),
        query.getInteger("changeStreamBufferKb", 256) * 1024,
        MySqlSettings.fromJson(config.getJsonObject("mysql")),
        KafkaSettings.fromJson(config.getJsonObject("kafka")),
        MongoSettings.fromJson(config.getJsonObject("mongo")));
  }
}
