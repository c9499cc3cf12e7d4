package io.cqrsbooks.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The MariaDB, Kafka and MongoDB-wire servers a local launch starts by itself.
 * Implemented in the separate embedded-servers jar, found through {@link java.util.ServiceLoader},
 * so a production deployment ships without them.
 */
public interface EmbeddedServers extends AutoCloseable {

  /** Requested ports; 0 picks a free one. */
  record Ports(int mysql, int kafka, int mongo) {

    public static final Ports ANY = new Ports(0, 0, 0);

    public static Ports from(Config config) {
      return new Ports(config.portOrAny("embeddedServers.mysqlPort"), config.portOrAny("embeddedServers.kafkaPort"),
          config.portOrAny("embeddedServers.mongoPort"));
    }
  }

  /**
   * Starts the three servers and returns the connection settings that point at them,
   * shaped like the {@code mysql}, {@code kafka} and {@code mongo} sections of the configuration.
   *
   * @param dataDir where MariaDB keeps its data across restarts
   */
  JsonObject start(Path dataDir, Ports ports) throws Exception;

  @Override
  void close();
}
