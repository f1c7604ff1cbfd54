package io.orderflow.view.topology;

/** A record the view could not read or apply, on its way to its topic's dead-letter topic. */
record DeadLetter(String originalTopic, byte[] payload) {}
