-- order-service's copy of inventory's catalogue, kept from ProductListed events: orders for products that do not
-- exist are refused at the door instead of travelling through the saga.
CREATE TABLE catalogue (
    product_id TEXT PRIMARY KEY,
    name       TEXT        NOT NULL,
    listed_at  TIMESTAMPTZ NOT NULL
);
