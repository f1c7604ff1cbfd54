-- An idempotency key belongs to the customer the order is for: another customer using the same key gets an order of
-- their own, and learns nothing of the first (a shared key would answer 422 "already used", or be claimed first to
-- block someone else's retries). Keys claimed before keep working: each gets the customer of the order it created.
ALTER TABLE idempotency_keys ADD COLUMN customer_id TEXT;
UPDATE idempotency_keys k SET customer_id = o.customer_id FROM orders o WHERE o.id = k.order_id;
ALTER TABLE idempotency_keys ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (customer_id, idempotency_key);
