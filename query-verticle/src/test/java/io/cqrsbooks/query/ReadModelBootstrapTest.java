package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.embedded.TestServers;
import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.cqrsbooks.store.SchemaMigrations;
import io.cqrsbooks.store.StoredBooks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.cqrsbooks.query.Waits.await;
import static io.cqrsbooks.query.Waits.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bootstraps of two query processes on real MariaDB, Kafka and MongoDB-wire servers: started together on
 * an empty read model they copy it once (the second waits for the first's copy and joins it, instead of
 * both copying and each finding its claim overwritten by the other), a copy that stopped saying it is
 * alive is taken over, a wrong partition count is refused, and a process started before the event topic
 * exists waits for it rather than make a copy the next start would make again.
 */
@ExtendWith(VertxExtension.class)
class ReadModelBootstrapTest {

  private static final int BOOKS = 60_000;
  private static final int BATCH = 100;

  private KafkaSettings kafka;
  private MySqlSettings mysql;
  private JsonObject mongoConfig;

  @BeforeEach
  void freshServers(Vertx vertx) throws Exception {
    TestServers servers = TestServers.get();
    kafka = servers.newTopic("bootstrap");
    servers.createTopic(kafka);
    mysql = servers.newDatabase(vertx);
    await(SchemaMigrations.apply(vertx, mysql.connectOptions()));
    mongoConfig = servers.newMongoDatabase();
    Pool pool = mysql.sharedPool(vertx, "bootstrap-test-fill");
    await(pool.query("""
        INSERT INTO books (title, author, category, pages, price, published_date, description, version, created_at, updated_at)
        SELECT CONCAT('Book ', seq), 'Author', 'fill', 100, seq, NULL, '', 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
        FROM seq_1_to_%d""".formatted(BOOKS)).execute());
  }

  /** One query process's bootstrap: its own MongoDB client, read model and status. */
  private record Process(ReadModelBootstrap bootstrap, ReadModel readModel, QueryStatus status) {
  }

  private Process process(Vertx vertx, String name) {
    return process(vertx, name, kafka.partitions());
  }

  private Process process(Vertx vertx, String name, int partitions) {
    return process(vertx, name, kafka, partitions);
  }

  private Process process(Vertx vertx, String name, KafkaSettings events, int partitions) {
    ReadModel readModel = new ReadModel(MongoClient.create(vertx, mongoConfig), true, new Partitioning(partitions));
    QueryStatus status = new QueryStatus();
    ReadModelBootstrap bootstrap = new ReadModelBootstrap(vertx, new StoredBooks(mysql.sharedPool(vertx, name)), readModel,
        status, BATCH, new StreamCoverage(vertx, events), events.groupId(), true);
    return new Process(bootstrap, readModel, status);
  }

  /** Runs a bootstrap on an event loop of its own, as the consumer verticle runs it. */
  private static Future<Long> run(Vertx vertx, Process process) {
    Context context = vertx.getOrCreateContext();
    Promise<Long> done = Promise.promise();
    context.runOnContext(start -> process.bootstrap().run().onComplete(done));
    return done.future();
  }

  @Test
  void twoProcessesStartedTogetherCopyOnceAndTheSecondJoinsTheFirstsCopy(Vertx vertx) throws Exception {
    Process first = process(vertx, "first");
    Process second = process(vertx, "second");

    Future<Long> firstCopy = run(vertx, first);
    awaitTrue("the first process claimed the copy", () -> record(first) != null && first.status().bootstrapCopied() > 0);
    Future<Long> secondRun = run(vertx, second);
    Set<String> modesSeen = new HashSet<>();
    awaitTrue("both bootstraps finished", () -> {
      modesSeen.add(second.status().toJson().getString("bootstrapMode"));
      return firstCopy.isComplete() && secondRun.isComplete();
    });

    assertEquals(BOOKS, await(firstCopy), "the first process copied every book");
    assertEquals(0L, await(secondRun), "the second copied nothing");
    assertTrue(modesSeen.contains("waiting"), "while the copy ran, the second said it waits: " + modesSeen);
    assertEquals("joined", second.status().toJson().getString("bootstrapMode"));
    assertEquals(0L, second.status().bootstrapCopied());
    JsonObject record = record(first);
    assertTrue(record.getBoolean(ReadModel.COMPLETE), record::encode);
    assertEquals(1, record.getInteger("joins"), "the second joined the first's copy: " + record.encode());
    assertEquals((long) BOOKS, await(first.readModel().size()));
  }

  @Test
  void aCopyThatStoppedSayingItIsAliveIsTakenOver(Vertx vertx) throws Exception {
    Process survivor = process(vertx, "survivor");
    // A copy claimed by a process that died: its last heartbeat is 3 s from being stale.
    long lastWord = System.currentTimeMillis() - BootstrapClaims.STALE_AFTER.toMillis() + 3_000;
    await(MongoClient.create(vertx, mongoConfig).insert("read_model_meta", new JsonObject().put("_id", "bootstrap")
        .put(ReadModel.EPOCH, "dead-copy").put(ReadModel.COMPLETE, false).put(ReadModel.COPIER, "a process that died")
        .put(ReadModel.HEARTBEAT_AT, lastWord).put(ReadModel.COPIED, 1_234L)));

    Future<Long> copy = run(vertx, survivor);
    awaitTrue("the survivor waits, showing the dead copy's progress",
        () -> "waiting".equals(survivor.status().toJson().getString("bootstrapMode"))
            && survivor.status().bootstrapCopied() == 1_234L);
    assertEquals(BOOKS, copy.await(60, TimeUnit.SECONDS), "once the dead copy was stale, the survivor copied");
    JsonObject record = record(survivor);
    assertTrue(record.getBoolean(ReadModel.COMPLETE), record::encode);
    assertNotEquals("dead-copy", record.getString(ReadModel.EPOCH));
    assertEquals("copied", survivor.status().toJson().getString("bootstrapMode"));
  }

  @Test
  void aPartitionCountOtherThanTheTopicsIsRefusedWithTheFixAndNothingIsCopied(Vertx vertx) throws Exception {
    int topics = kafka.partitions();
    Process misconfigured = process(vertx, "misconfigured", topics + 3);

    Throwable refused = assertThrows(Exception.class, () -> await(run(vertx, misconfigured)));
    assertTrue(refused.getMessage().contains("topic '" + kafka.topic() + "' has " + topics + " partitions, but "
        + "kafka.partitions is " + (topics + 3) + ": set kafka.partitions (CQRS_KAFKA_PARTITIONS) to " + topics),
        refused.getMessage());
    assertNull(record(misconfigured), "no copy was claimed");
    assertEquals(0L, await(misconfigured.readModel().size()));

    assertEquals(BOOKS, await(run(vertx, process(vertx, "configured"))), "with the topic's count it copies");
  }

  @Test
  void aProcessStartedBeforeTheTopicExistsWaitsForItSoItsCopyIsJoinedAtTheNextStart(Vertx vertx) throws Exception {
    KafkaSettings notYetMade = TestServers.get().newTopic("bootstrap-before-topic");
    Process early = process(vertx, "early", notYetMade, notYetMade.partitions());

    Future<Long> copy = run(vertx, early);
    Thread.sleep(4 * ReadModelBootstrap.TOPIC_LOOK_MILLIS);
    assertFalse(copy.isComplete(), "the bootstrap waits while the topic does not exist");
    assertNull(record(early), "no copy was claimed before the topic exists");
    assertEquals(0L, await(early.readModel().size()));
    String problem = early.status().toJson().getString("problem");
    assertTrue(problem != null && problem.contains("waiting for Kafka topic '" + notYetMade.topic() + "'"), problem);

    TestServers.get().createTopic(notYetMade);
    assertEquals(BOOKS, copy.await(60, TimeUnit.SECONDS), "once the command side made the topic, it copied");
    assertNull(early.status().toJson().getString("problem"), "the wait is no longer reported");
    assertNotNull(record(early).getJsonObject("origin").getString("topicId"), record(early)::encode);

    Process restarted = process(vertx, "restarted", notYetMade, notYetMade.partitions());
    assertEquals(0L, await(run(vertx, restarted)), "the next start copies nothing");
    assertEquals("joined", restarted.status().toJson().getString("bootstrapMode"));
  }

  private static JsonObject record(Process process) throws Exception {
    return await(process.readModel().bootstrapRecord());
  }
}
