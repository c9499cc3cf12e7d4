package io.cqrsbooks.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.CyclicBufferAppender;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The most recent log lines of this JVM (the launch a test runs in it), kept so a failure can show them in its
 * message: CI prints a failing test's message, not its log. Loggers named at start get the level given for the
 * while (e.g. DEBUG, so the tail says what each command and each applied event did).
 */
final class LogTail implements AutoCloseable {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final CyclicBufferAppender<ILoggingEvent> buffer = new CyclicBufferAppender<>();
  private final Map<Logger, Level> levelsBefore = new HashMap<>();
  private final Logger root;

  private LogTail(int lines, Map<String, Level> levels) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    buffer.setContext(context);
    buffer.setName("test-tail");
    buffer.setMaxSize(lines);
    buffer.start();
    root.addAppender(buffer);
    levels.forEach((name, level) -> {
      Logger logger = context.getLogger(name);
      levelsBefore.put(logger, logger.getLevel());
      logger.setLevel(level);
    });
  }

  /** Keeps the last {@code lines} log lines from now on; the named loggers log at the given levels until closed. */
  static LogTail keep(int lines, Map<String, Level> levels) {
    return new LogTail(lines, levels);
  }

  /** The kept lines, oldest first, with the time (UTC), level, logger and message. */
  String lines() {
    return IntStream.range(0, buffer.getLength())
        .mapToObj(buffer::get)
        .map(event -> TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + " " + event.getLevel() + " "
            + event.getLoggerName().substring(event.getLoggerName().lastIndexOf('.') + 1) + " - "
            + event.getFormattedMessage() + keyValues(event))
        .collect(Collectors.joining("\n"));
  }

  private static String keyValues(ILoggingEvent event) {
    if (event.getKeyValuePairs() == null || event.getKeyValuePairs().isEmpty()) {
      return "";
    }
    return event.getKeyValuePairs().stream().map(pair -> pair.key + "=" + pair.value)
        .collect(Collectors.joining(" ", " ", ""));
  }

  @Override
  public void close() {
    root.detachAppender(buffer);
    buffer.stop();
    levelsBefore.forEach(Logger::setLevel);
  }
}
