-- One decision per order: the primary key makes a second authorization of the same order impossible.
CREATE TABLE payments (
    order_id       uuid PRIMARY KEY,
    customer_id    text           NOT NULL,
    amount         numeric(14, 2) NOT NULL,
    currency       char(3)        NOT NULL,
    status         text           NOT NULL CHECK (status IN ('AUTHORIZED', 'DECLINED')),
    charge_id      text,
    decline_reason text,
    decided_at     timestamptz    NOT NULL
);
