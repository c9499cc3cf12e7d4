package io.cqrsbooks.command;

import io.cqrsbooks.config.EmbeddedServers;
import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.embedded.LocalServers;
import io.cqrsbooks.embedded.TopicContents;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real MariaDB and Kafka (and the MongoDB-wire server, which starts with them) for this module's tests,
 * started once per test JVM. Each test takes a database and topics of its own, so tests do not see each other.
 */
final class RealServers {

  private static RealServers instance;
  private static final AtomicInteger NEXT = new AtomicInteger();

  private final JsonObject connections;

  private RealServers(JsonObject connections) {
    this.connections = connections;
  }

  static synchronized RealServers get() throws Exception {
    if (instance == null) {
      Path dir = Files.createTempDirectory("cqrs-books-command-tests");
      LocalServers servers = new LocalServers();
      JsonObject connections = servers.start(dir, EmbeddedServers.Ports.ANY);
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "command-tests-servers"));
      instance = new RealServers(connections);
    }
    return instance;
  }

  /** A new, empty database on the MariaDB server (migrations not yet applied). */
  MySqlSettings newDatabase(Vertx vertx) throws Exception {
    JsonObject mysql = connections.getJsonObject("mysql");
    MySqlSettings server = new MySqlSettings(mysql.getString("host"), mysql.getInteger("port"),
        mysql.getString("database"), mysql.getString("user"), mysql.getString("password"), 4);
    String name = "command_test_" + NEXT.incrementAndGet();
    MySQLConnection connection = MySQLConnection.connect(vertx, server.connectOptions()).await(30, TimeUnit.SECONDS);
    try {
      connection.query("CREATE DATABASE " + name).execute().await(30, TimeUnit.SECONDS);
    } finally {
      connection.close();
    }
    return new MySqlSettings(server.host(), server.port(), name, server.user(), server.password(), 4);
  }

  /** Settings for a topic of its own (created by whoever publishes first). */
  KafkaSettings newTopic(String purpose) {
    return new KafkaSettings(connections.getJsonObject("kafka").getString("bootstrapServers"),
        purpose + "-" + NEXT.incrementAndGet(), 3, (short) 1, "command-tests");
  }

  boolean topicExists(KafkaSettings kafka) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafka.adminConfig()))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(kafka.topic());
    }
  }

  /** Every record on the topic, from the beginning of each partition to its end. */
  List<ConsumerRecord<String, String>> records(KafkaSettings kafka) {
    return TopicContents.read(kafka.feedConfig(), kafka.topic(), Duration.ofSeconds(30));
  }
}
