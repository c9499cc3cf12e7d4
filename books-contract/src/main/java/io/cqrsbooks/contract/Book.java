package io.cqrsbooks.contract;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A book as the catalogue stores it: the editable fields plus what the server keeps
 * ({@code bid}, {@code version}, timestamps). Its JSON form is the one the API, the events
 * and the read model share; see {@link BookJson}.
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
    long version,
    Instant createdAt,
    Instant updatedAt) {
}
