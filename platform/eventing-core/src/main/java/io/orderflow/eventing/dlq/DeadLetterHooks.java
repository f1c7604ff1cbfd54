package io.orderflow.eventing.dlq;

/**
 * Moments in the dead-letter tools' work where something else may happen meanwhile: a consumer writing a dead
 * letter, another replayer at work. Tests step in here to make such a race happen every time, not by chance.
 */
interface DeadLetterHooks {

    DeadLetterHooks NONE = new DeadLetterHooks() {};

    /** A read of a topic got its next chunk of records; reading a big topic takes many. */
    default void chunkRead(int records) {}

    /** A replay holds this many dead letters, to decide on and send in one transaction. */
    default void replaying(int deadLetters) {}

    /** A replay has read what was done to the dead letters so far, and has sent nothing yet. */
    default void outcomesRead() {}

    /** A purge has checked the records it will delete and has not deleted them yet. */
    default void purgeChecked(String topic) {}
}
