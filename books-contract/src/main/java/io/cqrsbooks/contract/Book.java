package io.cqrsbooks.contract;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A book as the catalogue stores it: the editable fields plus what the server keeps
 * ({@code bid}, {@code version}, timestamps). Its JSON form is the one the API, the events
 * and the read model share; see {@link BookJson}. {@code isbn} is an ISBN-13's 13 digits, or null
 * (added in event schema 2; see {@link EventUpcasters}).
 */
public record Book(
    long bid,
    String title,
    String author,
    String category,
    int pages,
    long price,
    LocalDate publishedDate,
    String description,
    String isbn,
    long version,
    Instant createdAt,
    Instant updatedAt) {
}
