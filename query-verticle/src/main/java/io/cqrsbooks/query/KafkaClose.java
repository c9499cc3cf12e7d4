package io.cqrsbooks.query;

import io.cqrsbooks.config.KafkaSettings;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A Kafka consumer's close, waited for at most {@link KafkaSettings#CLOSE_TIMEOUT}: Vert.x's consumer has no
 * close with a limit, and Kafka's waits up to 30 s for a coordinator that does not answer. Past the limit the
 * stop goes on; the close finishes (or not) on the consumer's own thread.
 */
final class KafkaClose {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClose.class);

  private KafkaClose() {
  }

  static Future<Void> within(Future<Void> closing, String what) {
    return closing.timeout(KafkaSettings.CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .recover(failure -> {
          LOG.info("{} did not close within {} ms (Kafka does not answer); stopping without it", what,
              KafkaSettings.CLOSE_TIMEOUT.toMillis());
          return Future.succeededFuture();
        });
  }
}
