package io.orderflow.apidocs.testapp;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice
class ThingProblems {

    @ExceptionHandler(ThingController.NoSuchThing.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    ProblemDetail noSuchThing(ThingController.NoSuchThing e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
