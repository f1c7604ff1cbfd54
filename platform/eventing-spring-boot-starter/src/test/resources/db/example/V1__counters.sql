CREATE TABLE counters (
    counter_id text PRIMARY KEY,
    value      int  NOT NULL
);

CREATE TABLE seen (
    counter_id text NOT NULL,
    sequence   int  NOT NULL,
    event_id   uuid NOT NULL
);
