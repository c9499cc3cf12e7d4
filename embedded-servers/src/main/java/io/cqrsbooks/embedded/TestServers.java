package io.cqrsbooks.embedded;

import io.cqrsbooks.config.EmbeddedServers;
import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real MariaDB, Kafka and MongoDB-wire servers for the tests of one verticle against real servers, started
 * once per test JVM. Each test takes a MySQL database, topics and a MongoDB database of its own, so tests
 * do not see each other. For tests only: the launch uses {@link LocalServers} directly.
 */
public final class TestServers {

  private static TestServers instance;
  private static final AtomicInteger NEXT = new AtomicInteger();

  private final JsonObject connections;

  private TestServers(JsonObject connections) {
    this.connections = connections;
  }

  public static synchronized TestServers get() throws Exception {
    if (instance == null) {
      Path dir = Files.createTempDirectory("cqrs-books-tests");
      LocalServers servers = new LocalServers();
      JsonObject connections = servers.start(dir, EmbeddedServers.Ports.ANY);
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "test-servers"));
      instance = new TestServers(connections);
    }
    return instance;
  }

  /** A new, empty database on the MariaDB server (migrations not yet applied). */
  public MySqlSettings newDatabase(Vertx vertx) throws Exception {
    JsonObject mysql = connections.getJsonObject("mysql");
    MySqlSettings server = new MySqlSettings(mysql.getString("host"), mysql.getInteger("port"),
        mysql.getString("database"), mysql.getString("user"), mysql.getString("password"), 4, MySqlSettings.SOCKET_TIMEOUT);
    String name = "test_" + NEXT.incrementAndGet();
    MySQLConnection connection = MySQLConnection.connect(vertx, server.connectOptions()).await(30, TimeUnit.SECONDS);
    try {
      connection.query("CREATE DATABASE " + name).execute().await(30, TimeUnit.SECONDS);
    } finally {
      connection.close();
    }
    return new MySqlSettings(server.host(), server.port(), name, server.user(), server.password(), 4, server.socketTimeout());
  }

  /** Settings for a topic of its own (created by whoever publishes first), with a consumer group of its own. */
  public KafkaSettings newTopic(String purpose) {
    String topic = purpose + "-" + NEXT.incrementAndGet();
    return new KafkaSettings(connections.getJsonObject("kafka").getString("bootstrapServers"), topic, 3, (short) 1,
        topic + "-group");
  }

  /** MongoDB client settings for a new, empty database ({@code connection_string}, {@code db_name}). */
  public JsonObject newMongoDatabase() {
    return new JsonObject()
        .put("connection_string", connections.getJsonObject("mongo").getString("connectionString"))
        .put("db_name", "test_" + NEXT.incrementAndGet());
  }

  /** Creates the topic, with the partitions its settings name (the relay does this in a launch). */
  public void createTopic(KafkaSettings kafka) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafka.adminConfig()))) {
      admin.createTopics(List.of(new NewTopic(kafka.topic(), kafka.partitions(), kafka.replicationFactor())))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  public boolean topicExists(KafkaSettings kafka) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafka.adminConfig()))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(kafka.topic());
    }
  }

  /** Every record on the topic, from the beginning of each partition to its end. */
  public List<ConsumerRecord<String, String>> records(KafkaSettings kafka) {
    return TopicContents.read(kafka.feedConfig(), kafka.topic(), Duration.ofSeconds(30));
  }
}
