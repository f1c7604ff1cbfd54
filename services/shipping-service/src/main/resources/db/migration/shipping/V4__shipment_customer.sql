-- The customer the shipment is for, so that a customer can be shown their own shipments and no one else's. Rows
-- booked before this column existed have none: only operators and the storefront see those.
ALTER TABLE shipments ADD COLUMN customer_id text;
