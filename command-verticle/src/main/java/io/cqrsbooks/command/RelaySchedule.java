package io.cqrsbooks.command;

import java.time.Duration;

/**
 * When the outbox relay acts.
 *
 * @param tick a standby competes for the lease, and a paused holder retries, this often
 * @param holderPoll the holder looks for rows committed by other command processes this often (their
 *     commits cannot wake it; its own process's commits wake it at once) while it is publishing
 * @param holderIdlePoll and this often once it has published nothing for {@link #BUSY_FOR}: a poll every 5 ms
 *     cost an idle embedded launch 11% of a core (JVM and mariadbd, {@code bench/idle-cpu.sh}), for commits
 *     that mostly never come
 * @param failover longest time from the holder's death to a standby publishing
 * @param retention published rows are kept this long before they are purged
 */
public record RelaySchedule(Duration tick, Duration holderPoll, Duration holderIdlePoll, Duration failover,
    Duration retention) {

  /** The holder polls at {@code holderPoll} for this long after it last published something. */
  static final Duration BUSY_FOR = Duration.ofSeconds(1);

  /** The lease term: a standby notices a free lease on its next tick, so the term leaves two ticks of the failover. */
  Duration leaseTerm() {
    return Duration.ofSeconds(Math.max(1, failover.minus(tick.multipliedBy(2)).toSeconds()));
  }

  /** The holder renews the lease this often: several times a term, so one late renewal does not lose it. */
  Duration renewEvery() {
    return Duration.ofMillis(Math.max(100, leaseTerm().toMillis() / 4));
  }
}
