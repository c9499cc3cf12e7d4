package io.cqrsbooks.command;

import io.cqrsbooks.auth.AuthSettings;
import io.cqrsbooks.config.Config;
import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.http.HttpLimits;

import java.time.Duration;
import java.util.List;

/** The command side's part of the configuration, read and checked in {@link #from}. */
public record CommandSettings(
    int httpPort,
    int instances,
    List<String> corsOrigins,
    RelaySchedule relay,
    HttpLimits http,
    AuthSettings auth,
    MySqlSettings mysql,
    KafkaSettings kafka) {

  public static CommandSettings from(Config config) {
    Duration relayPollEvery = config.millis("command.relayPollMillis");
    Duration relayFailover = config.seconds("command.relayFailoverSeconds");
    if (relayPollEvery.compareTo(relayFailover) >= 0) {
      throw config.invalid("command.relayPollMillis", "must be shorter than command.relayFailoverSeconds:"
          + " a standby competes for the relay lease on that tick");
    }
    return new CommandSettings(
        config.port("command.httpPort"),
        config.positive("command.instances"),
        config.list("command.corsOrigins"),
        new RelaySchedule(relayPollEvery, config.millis("command.outboxPollMillis"),
            config.millis("command.outboxIdlePollMillis"), relayFailover, config.seconds("command.outboxRetentionSeconds")),
        HttpLimits.from(config),
        AuthSettings.from(config),
        MySqlSettings.from(config),
        KafkaSettings.from(config));
  }

  public CommandSettings withAuth(AuthSettings auth) {
    return new CommandSettings(httpPort, instances, corsOrigins, relay, http, auth, mysql, kafka);
  }
}
