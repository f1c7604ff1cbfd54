package io.orderflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, sending the request line and headers byte for byte as given: what a well-behaved
 * client refuses to send (malformed percent-encoding, control characters in a header) is what bad input looks like.
 */
final class RawHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RawHttp() {}

    /** An answer; status -1 when the server closed the connection without one. */
    record Answer(int status, Map<String, String> headers, String body) {

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        String contentType() {
            return header("Content-Type").orElse("");
        }

        @Override
        public String toString() {
            String shown = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return status + " " + contentType() + " " + shown.replace('\n', ' ');
        }
    }

    /**
     * @param target  the request target as sent, e.g. {@code /orders?status=%zz}
     * @param headers whole header lines, e.g. {@code Content-Type: application/json}
     * @param body    sent with its Content-Length; null for none
     */
    static Answer exchange(String baseUrl, String method, String target, List<String> headers, String body)
            throws IOException {
        URI base = URI.create(baseUrl);
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(base.getHost())
                .append(':')
                .append(base.getPort())
                .append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach(line -> head.append(line).append("\r\n"));
        if (content != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            send(socket.getOutputStream(), head.toString().getBytes(StandardCharsets.ISO_8859_1), content);
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static void send(OutputStream out, byte[] head, byte[] content) {
        try {
            out.write(head);
            if (content != null) {
                out.write(content);
            }
            out.flush();
        } catch (IOException e) {
            // A server may answer (413, 400) and close before it has read all of the body: read what it said.
        }
    }

    private static Answer parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int endOfHead = text.indexOf("\r\n\r\n");
        if (raw.length == 0 || endOfHead < 0) {
            return new Answer(-1, Map.of(), "(no answer: " + raw.length + " bytes)");
        }
        String[] lines = text.substring(0, endOfHead).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, endOfHead + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(new java.io.ByteArrayInputStream(body));
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder sizeLine = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                sizeLine.append((char) b);
            }
            String size = sizeLine.toString().trim().split(";")[0];
            if (size.isEmpty() || Integer.parseInt(size, 16) == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(Integer.parseInt(size, 16)));
            in.readNBytes(2);
        }
    }
}
