package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.embedded.TestServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change feed's view of other query processes' progress, on a real Kafka broker: it reads the offsets the
 * group committed, partition by partition, follows later commits, and reading them never makes it a member
 * of the group (which would take partitions away from the processes that apply them).
 */
@ExtendWith(VertxExtension.class)
class GroupProgressTest {

  @Test
  void readsTheGroupsCommittedOffsetsWithoutJoiningTheGroup(Vertx vertx) throws Exception {
    TestServers servers = TestServers.get();
    KafkaSettings kafka = servers.newTopic("progress");
    servers.createTopic(kafka);
    GroupProgress progress = new GroupProgress(vertx, kafka);
    try (KafkaConsumer<String, String> applier = new KafkaConsumer<>(new HashMap<String, Object>(kafka.consumerConfig()))) {
      assertEquals(Map.of(), await(progress.committed(kafka.partitions())), "nothing committed yet");

      applier.commitSync(Map.of(new TopicPartition(kafka.topic(), 0), new OffsetAndMetadata(7),
          new TopicPartition(kafka.topic(), 2), new OffsetAndMetadata(3)));
      assertEquals(Map.of(0, 7L, 2, 3L), await(progress.committed(kafka.partitions())));

      applier.commitSync(Map.of(new TopicPartition(kafka.topic(), 0), new OffsetAndMetadata(9)));
      assertEquals(Map.of(0, 9L, 2, 3L), await(progress.committed(kafka.partitions())), "a later commit is seen");

      try (Admin admin = Admin.create(new HashMap<String, Object>(kafka.adminConfig()))) {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(kafka.groupId()))
            .describedGroups().get(kafka.groupId()).get(30, TimeUnit.SECONDS);
        assertTrue(group.members().isEmpty(), "members: " + group.members());
      }
    } finally {
      await(progress.close());
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
