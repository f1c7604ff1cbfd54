-- The order becomes event-sourced: order_events is the truth, one row per event. The primary key (order_id, version)
-- is the optimistic lock: of two writers that loaded version n, only the first can insert version n + 1.
CREATE TABLE order_events (
    order_id    UUID        NOT NULL,
    version     INT         NOT NULL CHECK (version > 0),
    event_type  TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (order_id, version)
);

-- The state after `version` events, so that loading an order replays only what came after. `format` is the shape of
-- the state: a snapshot of another shape is ignored and the order replayed from its events.
CREATE TABLE order_snapshots (
    order_id UUID PRIMARY KEY,
    version  INT   NOT NULL,
    format   INT   NOT NULL,
    state    JSONB NOT NULL
);

-- Orders still waiting for their payment, and until when. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
-- instances can watch them, and they outlive restarts.
CREATE TABLE payment_deadlines (
    order_id UUID PRIMARY KEY,
    due_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_deadlines_due_idx ON payment_deadlines (due_at);

-- `orders` stays, as a summary kept in the same transaction as the events: lists by status read it.
ALTER TABLE orders RENAME COLUMN rejection_reason TO status_reason;
ALTER TABLE orders ADD COLUMN version INT NOT NULL DEFAULT 1;
DROP INDEX orders_status_idx;
CREATE INDEX orders_status_updated_idx ON orders (status, updated_at DESC);

-- Orders placed before this version become their events: Placed, then what inventory answered.
CREATE FUNCTION pg_temp.iso(at TIMESTAMPTZ) RETURNS TEXT AS
$$ SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$ LANGUAGE SQL IMMUTABLE;

INSERT INTO order_events (order_id, version, event_type, payload, occurred_at)
SELECT o.id, 1, 'Placed',
       jsonb_build_object(
               'customerId', o.customer_id,
               'currency', o.currency,
               'lines', (SELECT jsonb_agg(jsonb_build_object('productId', l.product_id, 'quantity', l.quantity,
                                                             'unitPrice', l.unit_price) ORDER BY l.line_no)
                         FROM order_lines l WHERE l.order_id = o.id),
               'paymentDue', pg_temp.iso(o.placed_at + INTERVAL '30 seconds'),
               'at', pg_temp.iso(o.placed_at)),
       o.placed_at
FROM orders o;

INSERT INTO order_events (order_id, version, event_type, payload, occurred_at)
SELECT o.id, 2, 'StockReserved', jsonb_build_object('at', pg_temp.iso(o.updated_at)), o.updated_at
FROM orders o WHERE o.status = 'RESERVED';

INSERT INTO order_events (order_id, version, event_type, payload, occurred_at)
SELECT o.id, v.version, v.type, jsonb_build_object('reason', o.status_reason, 'at', pg_temp.iso(o.updated_at)),
       o.updated_at
FROM orders o CROSS JOIN (VALUES (2, 'StockRejected'), (3, 'Rejected')) AS v (version, type)
WHERE o.status = 'REJECTED';

UPDATE orders SET version = CASE status WHEN 'PLACED' THEN 1 WHEN 'RESERVED' THEN 2 ELSE 3 END;

-- Their payment deadline starts now: they were placed before there were deadlines.
INSERT INTO payment_deadlines (order_id, due_at)
SELECT id, now() + INTERVAL '30 seconds' FROM orders WHERE status IN ('PLACED', 'RESERVED');

DROP TABLE order_lines;
