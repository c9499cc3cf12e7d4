package io.cqrsbooks.query;

/** What an operator can do to the read model through the admin API: handle dead letters, rebuild it. */
public record Operations(DeadLetters deadLetters, ReadModelRebuild rebuild) {
}
