-- A lost-charge check that is given up (the provider never said whether the order was charged) is FAILED with its
-- charge still unknown. Before, that update broke the check below: the refund worker's transaction rolled back, and
-- the check was tried and given up again every round, never reported and the order never parked.
ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_status_check CHECK (
    (status IN ('CHECKING', 'NOTHING_CHARGED', 'FAILED'))
    OR (status IN ('PENDING', 'REFUNDED') AND charge_id IS NOT NULL AND amount IS NOT NULL
        AND currency IS NOT NULL));
