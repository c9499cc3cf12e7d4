package io.cqrsbooks.query.readmodel;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which Kafka partition carries a book's events: the producer's default partitioner on the record key (the
 * bid as text). The read model stores it with each book, so the one consumer that owns a partition can
 * recount that partition's books alone.
 */
public record Partitioning(int partitions) {

  public Partitioning {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1");
    }
  }

  public int of(long bid) {
    byte[] key = String.valueOf(bid).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  public List<Integer> all() {
    return IntStream.range(0, partitions).boxed().toList();
  }
}
