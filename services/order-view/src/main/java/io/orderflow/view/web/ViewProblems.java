package io.orderflow.view.web;

import io.orderflow.view.streams.ViewUnavailableException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors as RFC 9457 problem details; a view that cannot answer now says when to ask again. */
@RestControllerAdvice
class ViewProblems {

    @ExceptionHandler(ViewUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ViewUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("View not available");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }

    @ExceptionHandler(NotInViewException.class)
    ProblemDetail notFound(NotInViewException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    @ExceptionHandler(NotYoursException.class)
    ProblemDetail forbidden(NotYoursException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        problem.setTitle("Forbidden");
        return problem;
    }

    /** Tomcat decodes the query string only when a parameter is first read, so a malformed one surfaces here. */
    @ExceptionHandler(InvalidParameterException.class)
    static ProblemDetail malformedQuery(InvalidParameterException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatusCode.valueOf(e.getErrorCode()),
                "the query string is not valid percent-encoding (RFC 3986) of UTF-8");
        problem.setTitle("Malformed query string");
        return problem;
    }

    @ExceptionHandler(BadQueryException.class)
    ProblemDetail badRequest(BadQueryException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad request");
        return problem;
    }
}
