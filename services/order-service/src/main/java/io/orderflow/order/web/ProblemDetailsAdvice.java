package io.orderflow.order.web;

import io.orderflow.order.application.ConcurrentOrderUpdateException;
import io.orderflow.order.application.OrderNotFoundException;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error as {@code application/problem+json} with a detail that says what to fix: 400 for a body that is not
 * the JSON we expect, 422 for values that break the rules, 404, 409 to retry, 413, and a bare 500 that leaks
 * nothing.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getAllErrors().stream()
                .map(ProblemDetailsAdvice::describe)
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_CONTENT,
                String.join(
                        "; ",
                        errors.stream()
                                .map(e -> e.get("field") + ": " + e.get("message"))
                                .toList()));
        problem.setTitle("Invalid order");
        problem.setProperty("errors", errors);
        return ResponseEntity.of(problem).build();
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (hasCause(ex, PayloadTooLargeException.class)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.CONTENT_TOO_LARGE,
                    causeOf(ex, PayloadTooLargeException.class).getMessage());
            return ResponseEntity.of(problem).build();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadableDetail(ex));
        problem.setTitle("Unreadable request body");
        return ResponseEntity.of(problem).build();
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badPathOrQuery(MethodArgumentTypeMismatchException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                ex.getName() + ": '" + ex.getValue() + "' is not a valid "
                        + (ex.getRequiredType() == null
                                ? "value"
                                : ex.getRequiredType().getSimpleName()));
        problem.setTitle("Invalid parameter");
        return problem;
    }

    /** Tomcat decodes the query string only when a parameter is first read, so a malformed one surfaces here. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail malformedQuery(InvalidParameterException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatusCode.valueOf(ex.getErrorCode()),
                "the query string is not valid percent-encoding (RFC 3986) of UTF-8");
        problem.setTitle("Malformed query string");
        return problem;
    }

    /** Other writers kept changing the order while this request was decided: nothing was changed, ask again. */
    @ExceptionHandler(ConcurrentOrderUpdateException.class)
    ResponseEntity<ProblemDetail> stillConflicting(ConcurrentOrderUpdateException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONFLICT,
                ex.getMessage() + " while this request was being decided; nothing was changed: send the request again");
        problem.setTitle("Order changed concurrently");
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ProblemDetail notFound(OrderNotFoundException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
        problem.setTitle("Order not found");
        return problem;
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; nothing was changed");
        problem.setTitle("Internal error");
        return problem;
    }

    private static Map<String, String> describe(ObjectError error) {
        String field = error instanceof FieldError fieldError ? fieldError.getField() : error.getObjectName();
        if ("knownCurrency".equals(field)) {
            field = "currency";
        }
        return Map.of("field", field, "message", String.valueOf(error.getDefaultMessage()));
    }

    private static String unreadableDetail(HttpMessageNotReadableException ex) {
        MismatchedInputException mismatch = causeOf(ex, MismatchedInputException.class);
        if (mismatch != null) {
            String path = path(mismatch);
            String expected = mismatch.getTargetType() == null
                    ? "another type"
                    : mismatch.getTargetType().getSimpleName();
            return (path.isEmpty() ? "body" : path) + ": expected " + article(expected) + " " + expected + " ("
                    + firstLine(mismatch.getOriginalMessage()) + ")";
        }
        StreamReadException malformed = causeOf(ex, StreamReadException.class);
        if (malformed != null) {
            return "malformed JSON: " + firstLine(malformed.getOriginalMessage());
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            return "the request body is missing";
        }
        JacksonException other = causeOf(ex, JacksonException.class);
        return other != null ? firstLine(other.getOriginalMessage()) : "the request body cannot be read as JSON";
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String article(String word) {
        return "AEIOUaeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return causeOf(ex, type) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
