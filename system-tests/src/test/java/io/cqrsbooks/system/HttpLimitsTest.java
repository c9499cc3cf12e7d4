package io.cqrsbooks.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Clients that hold on to a server: oversized headers and request lines, a body trickling in one byte at a
 * time, hundreds of idle connections. Each is cut off by a bound, and the server keeps serving others.
 * Short limits here (idle 2 s, body 1.5 s) so the test does not wait for the defaults (60 s, 10 s).
 */
class HttpLimitsTest extends SystemTest {

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.start(config -> config.getJsonObject("http")
        .put("idleTimeoutSeconds", 2).put("requestTimeoutMillis", 1500));
  }

  @Test
  void oversizedHeadersAndRequestLinesAreRefusedAndTheServerStaysUp() throws Exception {
    for (int port : new int[] {system.commandPort, system.queryPort}) {
      String header = "X-Filler: " + "a".repeat(16 * 1024);
      assertEquals(431, status(port, "GET /health HTTP/1.1\r\nHost: x\r\n" + header + "\r\n\r\n"));
      assertEquals(414, status(port, "GET /api/books?q=" + "b".repeat(8 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertEquals(200, status(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
  }

  @Test
  void aBodyTricklingInIsAnswered408AndTheConnectionClosed() throws Exception {
    long books = system.countRows("books");
    String body = book("Slow", 1, 1).encode();
    try (Socket socket = connect(system.commandPort)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/books HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
          + system.token + "\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      String answer = null;
      for (int i = 0; i < body.length() && answer == null; i++) {
        out.write(body.charAt(i));
        out.flush();
        assertEquals(200, system.get("/health").statusCode(), "others are served meanwhile");
        Thread.sleep(250);
        answer = availableText(socket);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertNotNull(answer, "no answer while the body trickled in");
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("\"field\":\"body\""), answer);
      assertTrue(millis < 5000, "cut off after the 1.5 s deadline, not " + millis + " ms");
      assertEquals(-1, readAfterAnswer(socket), "the connection is closed");
    }
    assertEquals(books, system.countRows("books"), "nothing written");
  }

  @Test
  void headersTricklingInGetTheConnectionClosed() throws Exception {
    for (int port : new int[] {system.commandPort, system.queryPort}) {
      try (Socket socket = connect(port)) {
        OutputStream out = socket.getOutputStream();
        String request = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(100) + "\r\n\r\n";
        long started = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < request.length() && !closed; i++) {
          try {
            out.write(request.charAt(i));
            out.flush();
          } catch (IOException e) {
            closed = true; // the server closed it under us
            break;
          }
          assertEquals(200, system.get("/health").statusCode(), "others are served meanwhile");
          Thread.sleep(250);
          closed = socket.getInputStream().available() == 0 && readWithin(socket, 1) == -1;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(closed, "the connection was not closed while its headers trickled in");
        assertTrue(millis < 5000, "closed after the 3.5 s deadline (idle 2 s + request 1.5 s), not " + millis + " ms");
      }
    }
  }

  /**
   * A pooled keep-alive connection may wait for its next request up to the idle timeout: closing it sooner
   * (once the time allowed to send headers had passed since the last answer) failed the request of a client
   * that reused it just then.
   */
  @Test
  void aKeepAliveConnectionWaitingLongerThanTheRequestTimeoutIsStillServed() throws Exception {
    for (int port : new int[] {system.commandPort, system.queryPort}) {
      try (Socket socket = connect(port)) {
        assertEquals(200, statusOn(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        Thread.sleep(1800); // past the 1.5 s request timeout, within the 2 s idle timeout
        assertEquals(200, statusOn(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"), "served on the same connection");
      }
    }
  }

  @Test
  void manyIdleConnectionsDoNotStopServiceAndAreClosedWhenIdle() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        idle.add(connect(i % 2 == 0 ? system.commandPort : system.queryPort));
      }
      assertEquals(200, system.get("/health").statusCode());
      assertEquals(201, system.command(io.vertx.core.http.HttpMethod.POST, "/api/books", book("Busy", 1, 1)).statusCode());
      Thread.sleep(3500);
      int closed = 0;
      for (Socket socket : idle) {
        socket.setSoTimeout(2000);
        if (readAfterAnswer(socket) == -1) {
          closed++;
        }
      }
      assertEquals(idle.size(), closed, "every idle connection was closed by the server");
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void aQuietStreamOutlivesTheIdleTimeoutOnItsHeartbeats() throws Exception {
    try (Socket socket = connect(system.queryPort)) {
      socket.getOutputStream().write("GET /api/books/changes HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(500);
      assertTrue(availableText(socket).startsWith("HTTP/1.1 200"));
      // Two and a half idle timeouts (2 s here) with no change: only heartbeats keep it open.
      Thread.sleep(5000);
      String quiet = availableText(socket);
      assertNotNull(quiet, "nothing arrived on the quiet stream");
      assertTrue(quiet.split(": keep-alive", -1).length - 1 >= 4, "heartbeats at least every 1 s: " + quiet);
      system.createBook(book("Streamed", 1, 1));
      Thread.sleep(1000);
      String text = availableText(socket);
      assertTrue(text != null && text.contains("Streamed"), "the change arrived on the stream that stayed open");
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    return socket;
  }

  private static int status(int port, String request) throws IOException {
    try (Socket socket = connect(port)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] head = socket.getInputStream().readNBytes(12);
      return Integer.parseInt(new String(head, StandardCharsets.US_ASCII).substring(9, 12));
    }
  }

  /** The status of a request sent on an open connection; reads its whole answer (a Content-Length body). */
  private static int statusOn(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("the server closed the connection before answering: " + head);
      }
      head.append((char) b);
    }
    Matcher length = CONTENT_LENGTH.matcher(head);
    in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
    return Integer.parseInt(head.substring(9, 12));
  }

  private static String availableText(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    int available = in.available();
    return available == 0 ? null : new String(in.readNBytes(available), StandardCharsets.UTF_8);
  }

  /** -1 if the server closed the connection, 0 if nothing came within the time, else the byte read. */
  private static int readWithin(Socket socket, int millis) throws IOException {
    int previous = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      return socket.getInputStream().read();
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException e) {
      return -1;
    } finally {
      socket.setSoTimeout(previous);
    }
  }

  /** -1 once the server has closed the connection (after any answer still unread). */
  private static int readAfterAnswer(Socket socket) throws IOException {
    try {
      InputStream in = socket.getInputStream();
      int b;
      while ((b = in.read()) != -1) {
        // drain
      }
      return b;
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException e) {
      return -1; // reset counts as closed
    }
  }
}
