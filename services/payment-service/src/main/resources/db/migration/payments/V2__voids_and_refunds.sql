-- A cancelled order that was never charged gets a VOIDED decision: the primary key then keeps any later
-- StockReserved from charging it. A voided decision has no amount.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ALTER COLUMN customer_id DROP NOT NULL;
ALTER TABLE payments ALTER COLUMN amount DROP NOT NULL;
ALTER TABLE payments ALTER COLUMN currency DROP NOT NULL;
ALTER TABLE payments ADD COLUMN void_reason TEXT;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (
    (status IN ('AUTHORIZED', 'DECLINED') AND customer_id IS NOT NULL AND amount IS NOT NULL AND currency IS NOT NULL)
    OR (status = 'VOIDED' AND void_reason IS NOT NULL));

-- Refunds are compensations that must not be lost and must not block the consumer: a request is stored with the
-- event that asked for it, and a worker calls the provider, retrying with growing pauses until it succeeds or gives up.
CREATE TABLE refunds (
    order_id         UUID PRIMARY KEY REFERENCES payments (order_id),
    charge_id        TEXT           NOT NULL,
    amount           NUMERIC(14, 2) NOT NULL,
    currency         CHAR(3)        NOT NULL,
    reason           TEXT           NOT NULL,
    status           TEXT           NOT NULL CHECK (status IN ('PENDING', 'REFUNDED', 'FAILED')),
    attempts         INT            NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ    NOT NULL,
    last_error       TEXT,
    refund_id        TEXT,
    requested_at     TIMESTAMPTZ    NOT NULL,
    completed_at     TIMESTAMPTZ,
    -- the event that asked for the refund, so that what the refund publishes follows it in the saga
    cause_event_id   UUID           NOT NULL,
    cause_event_type TEXT           NOT NULL,
    cause_producer   TEXT           NOT NULL,
    cause_at         TIMESTAMPTZ    NOT NULL,
    correlation_id   TEXT           NOT NULL,
    traceparent      TEXT           NOT NULL
);
CREATE INDEX refunds_due_idx ON refunds (next_attempt_at) WHERE status = 'PENDING';
