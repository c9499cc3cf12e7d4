package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.embedded.TestServers;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.DeadLetterStore;
import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.cqrsbooks.store.SchemaMigrations;
import io.cqrsbooks.store.StoredBooks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.cqrsbooks.query.TestEvents.created;
import static io.cqrsbooks.query.TestEvents.deleted;
import static io.cqrsbooks.query.TestEvents.updated;
import static io.cqrsbooks.query.Waits.await;
import static io.cqrsbooks.query.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer verticle alone on real Kafka, MariaDB (the bootstrap's store, empty here) and MongoDB-wire
 * servers, composed as the query service composes it: its poll loop applies what the topic holds, sets an
 * undecodable record aside without holding its partition, commits only applied offsets, and a consumer
 * started again resumes from them (it joins the read model it left and re-applies nothing).
 */
@ExtendWith(VertxExtension.class)
class BookEventConsumerTest {

  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private KafkaSettings kafka;
  private MySqlSettings mysql;
  private MongoClient mongo;
  private ReadModel readModel;

  @BeforeEach
  void freshServers(Vertx vertx) throws Exception {
    TestServers servers = TestServers.get();
    kafka = servers.newTopic("consumer");
    servers.createTopic(kafka);
    mysql = servers.newDatabase(vertx);
    await(SchemaMigrations.apply(vertx, mysql.connectOptions()));
    mongo = MongoClient.create(vertx, servers.newMongoDatabase());
    readModel = new ReadModel(mongo, true, new Partitioning(kafka.partitions()));
  }

  @Test
  void appliesTheTopicSetsAsidePoisonCommitsOnlyWhatItAppliedAndResumesFromThere(Vertx vertx) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<String, Object>(kafka.producerConfig()))) {
      for (long bid = 1; bid <= 20; bid++) {
        send(producer, created(bid, "Book " + bid));
      }
      producer.send(new ProducerRecord<>(kafka.topic(), "7", "{not an event")).get(30, TimeUnit.SECONDS);
      send(producer, updated(7, 2, "Seven, again"));
      send(producer, deleted(3, 2));
    }
    QueryStatus status = new QueryStatus();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String first = await(vertx.deployVerticle(consumer(vertx, status, registry)));

    // The poison record comes before book 7's update on the same partition: the update still applies.
    awaitTrue("every event applied", () -> await(readModel.findBook(7)) != null
        && "Seven, again".equals(await(readModel.findBook(7)).getString("title")) && await(readModel.findBook(3)) == null
        && await(readModel.findBook(20)) != null);
    assertEquals(1L, await(new DeadLetterStore(mongo).count()), "the undecodable record was set aside");
    // A batch's counts are added after its books are written: a query can see the books a moment before.
    awaitTrue("the projection's counts follow", () -> await(readModel.counts().read()).total() == 19L);
    awaitTrue("the group committed every applied record", () -> committedEqualsEnd());

    await(vertx.undeploy(first));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<String, Object>(kafka.producerConfig()))) {
      send(producer, created(21, "Book 21"));
    }
    QueryStatus again = new QueryStatus();
    SimpleMeterRegistry registryAgain = new SimpleMeterRegistry();
    await(vertx.deployVerticle(consumer(vertx, again, registryAgain)));
    // The status counts a batch once its writes are acknowledged, so a query can find the book a moment before.
    awaitTrue("the new record applied", () -> await(readModel.findBook(21)) != null && again.eventsApplied() >= 1);
    assertEquals(1, again.eventsApplied());
    assertTrue(again.toJson().encode().contains("\"bootstrapMode\":\"joined\""), again.toJson().encode());
    assertEquals(0.0, registryAgain.counter("cqrs.events.skipped").count(),
        "a consumer started again resumes from the committed offsets: nothing already applied comes back");
    assertEquals(1L, await(new DeadLetterStore(mongo).count()), "the poison record is not set aside twice");
    assertEquals(20L, await(readModel.counts().read()).total());
  }

  private BookEventConsumer consumer(Vertx vertx, QueryStatus status, SimpleMeterRegistry registry) {
    StreamCoverage stream = new StreamCoverage(vertx, kafka);
    BookProjection projection = new BookProjection(readModel);
    ReadModelBootstrap bootstrap = new ReadModelBootstrap(vertx, new StoredBooks(mysql.sharedPool(vertx, "consumer-test")),
        readModel, status, 500, stream, kafka.groupId(), true);
    return new BookEventConsumer(kafka, bootstrap, projection, new DeadLetters(new DeadLetterStore(mongo), projection, status),
        new PartitionCounts(readModel), new ReadModelWatchdog(readModel, status, CHECK_EVERY, stream), status,
        new QueryMetrics(registry, status));
  }

  private boolean committedEqualsEnd() throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafka.adminConfig()))) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(kafka.groupId())
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      List<TopicPartition> partitions = admin.describeTopics(List.of(kafka.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(kafka.topic()).partitions().stream().map(info -> new TopicPartition(kafka.topic(), info.partition())).toList();
      Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
              .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())))
          .all().get(30, TimeUnit.SECONDS).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
      return partitions.stream().allMatch(partition -> ends.get(partition) == 0
          || (committed.get(partition) != null && committed.get(partition).offset() == ends.get(partition)));
    }
  }

  private void send(KafkaProducer<String, String> producer, BookEvent event) throws Exception {
    producer.send(new ProducerRecord<>(kafka.topic(), String.valueOf(event.bid()), BookJson.encode(event))).get(30, TimeUnit.SECONDS);
  }
}
