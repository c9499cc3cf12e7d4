package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.Generation;
import io.cqrsbooks.query.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the projection's counts exact for the partitions this consumer owns, before each batch: a partition
 * just taken whose counts a dead owner left unfinished is recounted, and after queries switch to a rebuilt
 * generation (whose live writes were not counted) every owned partition is.
 */
final class PartitionCounts {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionCounts.class);

  private final ReadModel readModel;
  private final Set<Integer> owned = new HashSet<>();
  private final Set<Integer> toCheck = new HashSet<>();
  private Generation countedIn;

  PartitionCounts(ReadModel readModel) {
    this.readModel = readModel;
  }

  void assigned(Set<TopicPartition> partitions) {
    partitions.forEach(partition -> {
      owned.add(partition.getPartition());
      toCheck.add(partition.getPartition());
    });
  }

  void revoked(Set<TopicPartition> partitions) {
    partitions.forEach(partition -> {
      owned.remove(partition.getPartition());
      toCheck.remove(partition.getPartition());
    });
  }

  /**
   * A batch failed, perhaps between its books and its counts: its retry finds the books written and adds
   * nothing, so the partitions it left marked are looked at again before the retry.
   */
  void batchFailed() {
    toCheck.addAll(owned);
  }

  /** Completes once the owned partitions' counts can be added to; run between batches. */
  Future<Void> beforeBatch() {
    Generation now = readModel.generation();
    if (countedIn != null && !countedIn.equals(now)) {
      Set<Integer> all = Set.copyOf(owned);
      return recount(all, "queries switched to generation " + now.number()).onSuccess(done -> {
        countedIn = now;
        toCheck.removeAll(all);
      });
    }
    countedIn = now;
    if (toCheck.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<Integer> checking = Set.copyOf(toCheck);
    return readModel.counts().unfinished(checking)
        .compose(unfinished -> recount(unfinished, "their last owner left their counts unfinished"))
        .onSuccess(done -> toCheck.removeAll(checking));
  }

  private Future<Void> recount(Collection<Integer> partitions, String why) {
    if (partitions.isEmpty()) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    return readModel.counts().recount(new HashSet<>(partitions)).onSuccess(done -> LOG.info(
        "recounted the books of partitions {} ({}) in {} ms", partitions, why, (System.nanoTime() - started) / 1_000_000));
  }
}
