package io.orderflow.dashboard.web;

import io.orderflow.eventing.dlq.InvalidDeadLetterRequestException;
import io.orderflow.eventing.dlq.NoSuchDeadLetterException;
import org.apache.kafka.common.KafkaException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Requests that cannot be carried out answer with problem details saying why; nothing was changed. */
@RestControllerAdvice
class DashboardProblems {

    @ExceptionHandler(NoSuchDeadLetterException.class)
    ProblemDetail unknown(NoSuchDeadLetterException e) {
        return problem(HttpStatus.NOT_FOUND, "No such dead letter", e.getMessage());
    }

    @ExceptionHandler(InvalidDeadLetterRequestException.class)
    ProblemDetail invalid(InvalidDeadLetterRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid dead-letter request", e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String why = cause.getMessage() == null
                ? ""
                : cause.getMessage().lines().findFirst().orElse("");
        return problem(
                HttpStatus.BAD_REQUEST,
                "Malformed request body",
                "expected JSON such as " + "{\"ids\": [\"orders.events.dlq:0:42\"]} or {\"reason\": \"timeout\"}: "
                        + why);
    }

    /** Tomcat decodes the query string only when a parameter is first read, so a malformed one surfaces here. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail malformedQuery(InvalidParameterException e) {
        return problem(
                HttpStatus.valueOf(e.getErrorCode()),
                "Malformed query string",
                "the query string is not valid percent-encoding (RFC 3986) of UTF-8");
    }

    @ExceptionHandler(KafkaException.class)
    ProblemDetail kafka(KafkaException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Kafka unavailable", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
