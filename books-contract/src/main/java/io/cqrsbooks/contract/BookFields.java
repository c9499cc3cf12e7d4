package io.cqrsbooks.contract;

import java.util.List;

/** The JSON field names of a book, written once for validation, queries and the read model. */
public final class BookFields {

  public static final String BID = "bid";
  public static final String TITLE = "title";
  public static final String AUTHOR = "author";
  public static final String CATEGORY = "category";
  public static final String PAGES = "pages";
  public static final String PRICE = "price";
  public static final String PUBLISHED_DATE = "publishedDate";
  public static final String DESCRIPTION = "description";
  public static final String ISBN = "isbn";
  public static final String VERSION = "version";
  public static final String CREATED_AT = "createdAt";
  public static final String UPDATED_AT = "updatedAt";

  /** The fields a client sends on create and full update. */
  public static final List<String> EDITABLE =
      List.of(TITLE, AUTHOR, CATEGORY, PAGES, PRICE, PUBLISHED_DATE, DESCRIPTION, ISBN);

  private BookFields() {
  }
}
