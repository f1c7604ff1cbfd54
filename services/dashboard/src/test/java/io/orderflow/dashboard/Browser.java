package io.orderflow.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser as java.net.http plays one: one cookie jar for every site (cookies do not tell ports apart, so the
 * dashboard's and the issuer's on 127.0.0.1 sit side by side, as in a real browser), HTML wanted, and redirects
 * followed one at a time so that a test sees each.
 */
public final class Browser {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(cookies)
            .build();

    /** A request as a browser's page makes one, with the cookies it holds. */
    public static HttpRequest.Builder page(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html,*/*;q=0.8");
    }

    /** A request as a page's script makes one (fetch), with the cookies the browser holds. */
    public static HttpRequest.Builder script(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.method() + " " + built.uri(), e);
        }
    }

    /** Every answer from this request on, following the redirects (as GETs); the last is not a redirect. */
    public List<HttpResponse<String>> follow(HttpRequest.Builder request) {
        List<HttpResponse<String>> answers = new ArrayList<>();
        HttpResponse<String> answer = send(request);
        answers.add(answer);
        while (isRedirect(answer) && answers.size() < 20) {
            URI next = answer.uri()
                    .resolve(answer.headers()
                            .firstValue("Location")
                            .orElseThrow(() -> new AssertionError("a redirect without a Location")));
            answer = send(page(next).GET());
            answers.add(answer);
        }
        return answers;
    }

    /**
     * Opens {@code dashboard}, lands on the issuer's login form, and signs in there as {@code username}: the answers
     * from the form's post on, the last being where the browser ends up (the dashboard, or what it says instead).
     */
    public List<HttpResponse<String>> signIn(String dashboard, String username, String password) {
        HttpResponse<String> form =
                last(follow(page(URI.create(dashboard + "/")).GET()));
        if (form.statusCode() != 200 || !form.body().contains("name=\"username\"")) {
            throw new AssertionError("opening the dashboard did not lead to a login form but to " + form.statusCode()
                    + " " + form.uri());
        }
        return follow(page(form.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(form(Map.of("username", username, "password", password, "_csrf", csrf(form.body())))));
    }

    /** The value of a cookie the browser holds, for whichever site set it. */
    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    public static HttpResponse<String> last(List<HttpResponse<String>> answers) {
        return answers.get(answers.size() - 1);
    }

    public static boolean isRedirect(HttpResponse<?> answer) {
        return answer.statusCode() == 301
                || answer.statusCode() == 302
                || answer.statusCode() == 303
                || answer.statusCode() == 307;
    }

    public static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&")));
    }

    /** The parameters of a URI's query, decoded. */
    public static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(
                    decode(equals < 0 ? pair : pair.substring(0, equals)),
                    equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return parameters;
    }

    private static String csrf(String loginForm) {
        Matcher input = CSRF_INPUT.matcher(loginForm);
        if (input.find()) {
            Matcher value = VALUE.matcher(input.group());
            if (value.find()) {
                return value.group(1);
            }
        }
        throw new AssertionError("the login form has no CSRF token field");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
