package io.cqrsbooks.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** A real Apache Kafka broker: one KRaft node acting as broker and controller, started in this JVM. */
public final class EmbeddedKafka implements AutoCloseable {

  private final Properties properties;
  private final int port;
  private KafkaRaftServer server;

  private EmbeddedKafka(Properties properties, int port) {
    this.properties = properties;
    this.port = port;
  }

  /** Formats an empty log folder and starts the broker; whatever the folder held before is discarded. */
  public static EmbeddedKafka start(Path logDir, int requestedPort) throws IOException {
    int port = FreePorts.orFree(requestedPort);
    int controllerPort = FreePorts.pick();
    deleteRecursively(logDir);
    Files.createDirectories(logDir);
    Properties properties = brokerProperties(logDir, port, controllerPort);
    format(logDir, properties);
    EmbeddedKafka kafka = new EmbeddedKafka(properties, port);
    kafka.startServer();
    return kafka;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Stops the broker, keeping its log so {@link #restart()} continues where it was. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public synchronized void restart() {
    if (server == null) {
      startServer();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startServer() {
    server = new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
    server.startup();
  }

  private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    // A single node: every internal topic has one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created by the command side with the partition count it is configured for.
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  private static void format(Path logDir, Properties properties) throws IOException {
    Path configFile = logDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(configFile)) {
      properties.store(out, "embedded cqrs-books broker");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()};
    int status = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
    if (status != 0) {
      throw new IllegalStateException("formatting the Kafka log folder failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
