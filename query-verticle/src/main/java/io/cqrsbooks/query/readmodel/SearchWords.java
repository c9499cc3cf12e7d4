package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Search as a form MongoDB can index: a book stores the normalised words of its title and author (NFKC,
 * lower case, split at anything that is not a letter or digit), and a search matches books having, for
 * every word typed, a stored word that starts with it. Each typed word is an anchored prefix, which
 * MongoDB answers from the multikey index on {@code words}.
 */
public final class SearchWords {

  /** Longest search, in words: more words only narrow an already tiny match. */
  public static final int MAX_TERMS = 8;

  private SearchWords() {
  }

  /** The words stored with a book. */
  public static List<String> of(Book book) {
    Set<String> words = new LinkedHashSet<>(split(book.title()));
    words.addAll(split(book.author()));
    return List.copyOf(words);
  }

  /** The typed words of a search, normalised as stored; at most {@link #MAX_TERMS}. */
  public static List<String> terms(String query) {
    List<String> terms = new ArrayList<>(new LinkedHashSet<>(split(query)));
    return terms.size() > MAX_TERMS ? terms.subList(0, MAX_TERMS) : terms;
  }

  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    if (text == null) {
      return words;
    }
    String normal = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder word = new StringBuilder();
    normal.codePoints().forEach(c -> {
      if (Character.isLetterOrDigit(c)) {
        word.appendCodePoint(c);
      } else if (!word.isEmpty()) {
        words.add(word.toString());
        word.setLength(0);
      }
    });
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }
}
