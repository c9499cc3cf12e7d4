package io.cqrsbooks.command;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.http.HttpLimits;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/** The command side's part of the configuration (already checked by the launcher). */
public record CommandSettings(
    int httpPort,
    int instances,
    List<String> corsOrigins,
    Duration relayPollEvery,
    Duration relayFailover,
    Duration outboxRetention,
    HttpLimits http,
    AuthSettings auth,
    MySqlSettings mysql,
    KafkaSettings kafka) {

  public static CommandSettings fromJson(JsonObject config) {
    JsonObject command = config.getJsonObject("command");
    return new CommandSettings(
        command.getInteger("httpPort"),
        command.getInteger("instances", 1),
        command.getJsonArray("corsOrigins").stream().map(String::valueOf).toList(),
        Duration.ofMillis(command.getLong("relayPollMillis", 1000L)),
        Duration.ofSeconds(command.getLong("relayFailoverSeconds", 5L)),
        Duration.ofSeconds(command.getLong("outboxRetentionSeconds", 86_400L)),
        HttpLimits.fromJson(config),
        AuthSettings.fromJson(config),
        MySqlSettings.fromJson(config.getJsonObject("mysql")),
        KafkaSettings.fromJson(config.getJsonObject("kafka")));
  }
}
