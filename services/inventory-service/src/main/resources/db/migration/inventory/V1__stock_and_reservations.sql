CREATE TABLE stock (
    product_id TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    available  INT  NOT NULL CHECK (available >= 0),
    reserved   INT  NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);

-- One decision per order: a second OrderPlaced for the same order (a new event id) cannot reserve twice.
CREATE TABLE reservations (
    order_id   UUID PRIMARY KEY,
    status     TEXT        NOT NULL,
    reason     TEXT,
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE reservation_lines (
    order_id   UUID NOT NULL REFERENCES reservations (order_id),
    product_id TEXT NOT NULL REFERENCES stock (product_id),
    quantity   INT  NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);
