-- One shipment per order: the primary key makes a second booking of the same order impossible.
CREATE TABLE shipments (
    order_id        uuid PRIMARY KEY,
    carrier         text        NOT NULL,
    tracking_number text        NOT NULL UNIQUE,
    scheduled_at    timestamptz NOT NULL
);
