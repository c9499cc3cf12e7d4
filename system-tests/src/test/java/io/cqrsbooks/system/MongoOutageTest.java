package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.*;

/** MongoDB stopped mid-stream and back empty: the query side says not ready, then rebuilds by itself. */
class MongoOutageTest extends SystemTest {

  @Test
  void anEmptiedReadModelIsRebuiltFromMySqlWithoutAManualStep() throws Exception {
    try (BackgroundWriter writer = BackgroundWriter.start(system, "mongo-outage", 11, 50, Long.MAX_VALUE)) {
      awaitTrue("some writes before the outage", Duration.ofSeconds(20), () -> writer.accepted() >= 50);

      system.servers.mongo().stop();
      awaitTrue("query side reports not ready", Duration.ofSeconds(20), () -> system.get("/ready").statusCode() == 503);
      long acceptedBefore = writer.accepted();
      sleep(3000);
      assertTrue(writer.accepted() > acceptedBefore, "commands do not depend on the read model");
      // What an operator sees: MongoDB down, and the consumer falling behind the topic.
      HttpResponse<Buffer> during = system.get("/status");
      assertEquals(200, during.statusCode());
      JsonObject status = during.bodyAsJsonObject();
      System.out.println("query side /status 3 s into the MongoDB outage: " + status.encode());
      assertEquals("DOWN", status.getString("mongo"), status.encode());
      assertEquals("NOT_READY", status.getString("status"), status.encode());
      assertTrue(status.getJsonObject("lag").getLong("total") > 0, "the backlog shows as lag: " + status.encode());
      Scrape metrics = MetricsTest.scrape(system.queryPort);
      assertTrue(metrics.sum("cqrs_consumer_lag") > 0, "and in the metrics: " + metrics);

      system.servers.mongo().restart();
      awaitTrue("rebuild noticed", Duration.ofSeconds(30),
          () -> system.get("/ready").bodyAsJsonObject().getLong("rebuilds") >= 1);
      sleep(2000);
      assertTrue(writer.unexpected.isEmpty(), writer.unexpected::toString);
    }
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
    awaitTrue("ready again", Duration.ofSeconds(20), () -> system.get("/ready").statusCode() == 200);
    JsonObject ready = system.get("/ready").bodyAsJsonObject();
    assertEquals(1, ready.getLong("rebuilds"), ready.encode());
    awaitTrue("caught up: no lag", Duration.ofSeconds(10),
        () -> system.get("/status").bodyAsJsonObject().getJsonObject("lag").getLong("total") == 0);
    JsonObject after = system.get("/status").bodyAsJsonObject();
    assertEquals(3, after.getJsonObject("lag").getJsonObject("partitions").size(), after.encode());
    assertNotNull(after.getString("lastAppliedEventTime"), after.encode());
    awaitTrue("the metrics show no lag and the whole catalogue", Duration.ofSeconds(20), () -> {
      Scrape metrics = MetricsTest.scrape(system.queryPort);
      return metrics.sum("cqrs_consumer_lag") == 0 && metrics.sum("cqrs_read_model_books") == system.mysqlBooks().size()
          && metrics.sum("cqrs_bootstrap_books_copied") == after.getLong("bootstrapCopied")
          && metrics.sum("cqrs_bootstrap_books_copied") > 50;
    });
    assertTrue(system.mysqlBooks().size() > 50);
  }
}
