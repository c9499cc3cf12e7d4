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
    RelaySchedule relay = new RelaySchedule(relayPollEvery, config.millis("command.outboxPollMillis"),
        config.millis("command.outboxIdlePollMillis"), relayFailover, config.seconds("command.outboxRetentionSeconds"));
    MySqlSettings mysql = MySqlSettings.from(config);
    if (mysql.socketTimeout().compareTo(relay.renewEvery()) <= 0) {
      throw config.invalid("mysql.socketTimeoutSeconds", "must be longer than the relay lease's renewal interval ("
          + relay.renewEvery().toMillis() + " ms with this command.relayFailoverSeconds): the lease's connection is"
          + " silent that long between two renewals");
    }
    return new CommandSettings(
        config.port("command.httpPort"),
        config.positive("command.instances"),
        config.list("command.corsOrigins"),
        relay,
        HttpLimits.from(config),
        AuthSettings.from(config),
        mysql,
        KafkaSettings.from(config));
  }

  public CommandSettings withAuth(AuthSettings auth) {
    return new CommandSettings(httpPort, instances, corsOrigins, relay, http, auth, mysql, kafka);
  }
}
