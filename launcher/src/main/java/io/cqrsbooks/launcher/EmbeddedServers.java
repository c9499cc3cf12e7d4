package io.cqrsbooks.launcher;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The MariaDB, Kafka and MongoDB-wire servers a local launch starts by itself.
 * Implemented in the separate embedded-servers jar, found through {@link java.util.ServiceLoader},
 * so a production deployment ships without them.
 */
public interface EmbeddedServers extends AutoCloseable {

  /**
   * Starts the three servers and returns the connection settings that point at them,
   * shaped like the {@code mysql}, {@code kafka} and {@code mongo} sections of the configuration.
   *
   * @param dataDir where MariaDB keeps its data across restarts
   * @param ports   requested ports ({@code mysqlPort}, {@code kafkaPort}, {@code mongoPort}); 0 picks a free one
   */
  JsonObject start(Path dataDir, JsonObject ports) throws Exception;

  @Override
  void close();
}
