-- A shipment whose payment was refunded is called off; the row stays, so the order's history stays whole.
ALTER TABLE shipments ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE shipments ADD COLUMN cancel_reason TEXT;
