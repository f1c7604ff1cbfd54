CREATE TABLE orders (
    id               UUID PRIMARY KEY,
    customer_id      TEXT           NOT NULL,
    currency         CHAR(3)        NOT NULL,
    total_amount     NUMERIC(14, 2) NOT NULL,
    status           TEXT           NOT NULL,
    rejection_reason TEXT,
    placed_at        TIMESTAMPTZ    NOT NULL,
    updated_at       TIMESTAMPTZ    NOT NULL
);

CREATE INDEX orders_status_idx ON orders (status);

CREATE TABLE order_lines (
    order_id   UUID           NOT NULL REFERENCES orders (id),
    line_no    INT            NOT NULL,
    product_id TEXT           NOT NULL,
    quantity   INT            NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(12, 2) NOT NULL CHECK (unit_price > 0),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    fingerprint     TEXT        NOT NULL,
    order_id        UUID        NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
