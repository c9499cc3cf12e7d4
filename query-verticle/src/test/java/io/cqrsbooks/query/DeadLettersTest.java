package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.Partitioning;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.DeadLetterStore;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dead letters on a real MongoDB-wire server: where each came from, why, and the value, bounded. */
@ExtendWith(VertxExtension.class)
class DeadLettersTest {

  @Test
  void aSetAsideEventIsStoredWithWhereItCameFromAndWhyAndCountedOnceEvenWhenSetAsideAgain(Vertx vertx) throws Exception {
    MongoClient client = RealMongo.newDatabase(vertx);
    QueryStatus status = new QueryStatus();
    DeadLetters letters = new DeadLetters(new DeadLetterStore(client), new BookProjection(new ReadModel(client, false, new Partitioning(3))), status);

    letters.setAside(record(2, 41, "17", "not JSON"), "not a book event: not JSON").await(30, TimeUnit.SECONDS);
    letters.setAside(record(0, 7, "18", "x".repeat(1_100_000)), "too large").await(30, TimeUnit.SECONDS);
    // A batch retried after a failure sets the same record aside again: stored and counted once.
    letters.setAside(record(2, 41, "17", "not JSON"), "not a book event: not JSON").await(30, TimeUnit.SECONDS);

    assertEquals(2, status.deadLetters());
    List<JsonObject> stored = client.find("dead_letters", new JsonObject()).await(30, TimeUnit.SECONDS);
    assertEquals(2, stored.size());
    JsonObject first = stored.stream().filter(letter -> letter.getString("key").equals("17")).findFirst().orElseThrow();
    assertEquals("books.events", first.getString("topic"));
    assertEquals(2, first.getInteger("partition"));
    assertEquals(41L, first.getLong("offset"));
    assertEquals("not JSON", first.getString("value"));
    assertEquals("not a book event: not JSON", first.getString("reason"));
    JsonObject large = stored.stream().filter(letter -> letter.getString("key").equals("18")).findFirst().orElseThrow();
    assertEquals(1024 * 1024, large.getString("value").length(), "a value beyond Kafka's default record size is kept in part");
    assertTrue(large.getBoolean("truncated"));
    assertFalse(first.getBoolean("truncated"));
  }

  private static KafkaConsumerRecordImpl<String, String> record(int partition, long offset, String key, String value) {
    return new KafkaConsumerRecordImpl<>(new ConsumerRecord<>("books.events", partition, offset, key, value));
  }
}
