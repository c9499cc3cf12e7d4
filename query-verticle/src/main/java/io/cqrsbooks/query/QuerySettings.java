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
 * @param commandPort where the browser finds the command API when {@code commandUrl} is empty (the command
 *     side's {@code httpPort}, on the host the page was loaded from)
 */
public record QuerySettings(
    int httpPort,
    int instances,
    HttpLimits http,
    String commandUrl,
    int commandPort,
    Duration consistencyTimeout,
    int bootstrapBatchSize,
    boolean joinCurrentReadModel,
    Duration readModelCheckEvery,
    int changeReplayWindow,
    int changeStreamBufferBytes,
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
        config.millis("query.consistencyTimeoutMillis"),
        config.positive("query.bootstrapBatchSize"),
        config.oneOf("query.bootstrap", java.util.List.of("auto", "copy")).equals("auto"),
        config.millis("query.readModelCheckMillis"),
        config.positive("query.changeReplayWindow"),
        config.positive("query.changeStreamBufferKb") * 1024,
        AuthSettings.from(config),
        MySqlSettings.from(config),
        KafkaSettings.from(config),
        MongoSettings.from(config));
  }

  public QuerySettings withAuth(AuthSettings auth) {
    return new QuerySettings(httpPort, instances, http, commandUrl, commandPort, consistencyTimeout, bootstrapBatchSize,
        joinCurrentReadModel, readModelCheckEvery, changeReplayWindow, changeStreamBufferBytes, auth, mysql, kafka, mongo);
  }
}
