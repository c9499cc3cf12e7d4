package io.cqrsbooks.query;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.http.HttpLimits;

import java.time.Duration;

/**
 * The query side's part of the configuration, read and checked in {@link #from}.
 *
 * @param currency the ISO 4217 code the UI shows prices in (prices are whole units of it)
 * @param commandPort where the browser finds the command API when {@code commandUrl} is empty (the command
 *     side's {@code httpPort}, on the host the page was loaded from)
 * @param changeStreamWritesPerSecond each API instance's budget of writes to its SSE streams: how often each
 *     stream is written is the larger of 5 ms and (its instance's streams / this) seconds
 */
public record QuerySettings(
    int httpPort,
    int instances,
    HttpLimits http,
    String commandUrl,
    int commandPort,
    String currency,
    Duration consistencyTimeout,
    int bootstrapBatchSize,
    boolean joinCurrentReadModel,
    Duration readModelCheckEvery,
    int changeReplayWindow,
    int changeStreamBufferBytes,
    int changeStreamWritesPerSecond,
    AuthSettings auth,
    MySqlSettings mysql,
    KafkaSettings kafka,
    MongoSettings mongo) {

  public static QuerySettings from(Config config, int commandPort) {
    return new QuerySettings(
        config.port("query.httpPort"),
        config.positive("query.instances"),
        HttpLimits.from(config),
        config.text("query.commandUrl"),
        commandPort,
        currency(config),
        config.millis("query.consistencyTimeoutMillis"),
        config.positive("query.bootstrapBatchSize"),
        config.oneOf("query.bootstrap", java.util.List.of("auto", "copy")).equals("auto"),
        config.millis("query.readModelCheckMillis"),
        config.positive("query.changeReplayWindow"),
        config.positive("query.changeStreamBufferKb") * 1024,
        config.positive("query.changeStreamWritesPerSecond"),
        AuthSettings.from(config),
        MySqlSettings.from(config),
        KafkaSettings.from(config),
        MongoSettings.from(config));
  }

  /** The ISO 4217 code the UI formats prices in: three capital letters. */
  private static String currency(Config config) {
    String code = config.text("query.currency");
    if (!code.matches("[A-Z]{3}")) {
      throw config.invalid("query.currency", "must be an ISO 4217 currency code such as KRW, EUR or USD, got '" + code + "'");
    }
    return code;
  }

  public QuerySettings withAuth(AuthSettings auth) {
    return new QuerySettings(httpPort, instances, http, commandUrl, commandPort, currency, consistencyTimeout, bootstrapBatchSize,
        joinCurrentReadModel, readModelCheckEvery, changeReplayWindow, changeStreamBufferBytes, changeStreamWritesPerSecond, auth, mysql, kafka, mongo);
  }
}
