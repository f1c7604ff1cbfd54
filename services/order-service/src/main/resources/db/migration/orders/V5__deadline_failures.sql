-- A deadline whose expiry keeps failing is retried later, with its error, instead of holding up every deadline due
-- after it: operators see it here and in orderflow.order.deadlines.failing.
ALTER TABLE payment_deadlines ADD COLUMN failed_attempts INT NOT NULL DEFAULT 0;
ALTER TABLE payment_deadlines ADD COLUMN last_error TEXT;
CREATE INDEX payment_deadlines_failing_idx ON payment_deadlines (order_id) WHERE failed_attempts > 0;
