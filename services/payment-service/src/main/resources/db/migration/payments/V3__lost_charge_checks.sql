-- A cancelled order with nothing recorded is voided at once, but a charge may have been made whose answer was lost
-- (a crash between the provider's answer and the commit). A CHECKING row asks the refund worker to look for such a
-- charge at the provider: found, it becomes a PENDING refund; not found, NOTHING_CHARGED. Until then the charge
-- fields are unknown.
ALTER TABLE refunds ALTER COLUMN charge_id DROP NOT NULL;
ALTER TABLE refunds ALTER COLUMN amount DROP NOT NULL;
ALTER TABLE refunds ALTER COLUMN currency DROP NOT NULL;
ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_status_check CHECK (
    (status IN ('CHECKING', 'NOTHING_CHARGED'))
    OR (status IN ('PENDING', 'REFUNDED', 'FAILED') AND charge_id IS NOT NULL AND amount IS NOT NULL
        AND currency IS NOT NULL));
DROP INDEX refunds_due_idx;
CREATE INDEX refunds_due_idx ON refunds (next_attempt_at) WHERE status IN ('PENDING', 'CHECKING');
