package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What Kafka says about the event stream a read model follows: which topic it is (its id changes when the
 * topic is made anew), how many partitions it has, and whether the consumer group can still resume from its
 * committed offsets without a gap (retention has not deleted records it has not applied).
 */
final class StreamCoverage {

  /** The topic's id, its partitions and whether the group's committed offsets all lie within its log. */
  record Coverage(String topic, String topicId, int partitions, boolean complete) {
  }

  private final Vertx vertx;
  private final KafkaSettings kafka;

  StreamCoverage(Vertx vertx, KafkaSettings kafka) {
    this.vertx = vertx;
    this.kafka = kafka;
  }

  /** A topic that does not exist yet has no id, no partitions and covers nothing. */
  Future<Coverage> check() {
    return withAdmin(admin -> admin.describeTopics(List.of(kafka.topic()))
        .compose(topics -> {
          TopicDescription topic = topics.get(kafka.topic());
          Map<TopicPartition, OffsetSpec> earliest = topic.getPartitions().stream()
              .collect(Collectors.toMap(p -> new TopicPartition(kafka.topic(), p.getPartition()), p -> OffsetSpec.EARLIEST));
          return Future.all(admin.listOffsets(earliest), admin.listConsumerGroupOffsets(kafka.groupId()))
              .map(found -> new Coverage(kafka.topic(), topic.getTopicId().toString(), topic.getPartitions().size(),
                  withinLog(found.resultAt(0), found.resultAt(1))));
        })
        .recover(failure -> isUnknownTopic(failure)
            ? Future.succeededFuture(new Coverage(kafka.topic(), null, 0, false))
            : Future.failedFuture(failure)));
  }

  /** A partition without a committed offset is read from its start (auto.offset.reset=earliest). */
  private static boolean withinLog(Map<TopicPartition, ListOffsetsResultInfo> logStart,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    return logStart.entrySet().stream().allMatch(start -> {
      OffsetAndMetadata resumeAt = committed.get(start.getKey());
      return (resumeAt == null ? 0 : resumeAt.getOffset()) >= start.getValue().getOffset();
    });
  }

  private <T> Future<T> withAdmin(Function<KafkaAdminClient, Future<T>> use) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, kafka.adminConfig());
    return use.apply(admin).eventually(admin::close);
  }

  private static boolean isUnknownTopic(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownTopicOrPartitionException) {
        return true;
      }
    }
    return false;
  }
}
