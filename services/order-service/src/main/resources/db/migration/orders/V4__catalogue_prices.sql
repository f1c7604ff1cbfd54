-- Prices of order-service's copy of the catalogue, from inventory's ProductListed events (v2 on): orders are priced
-- from here, never from the client. A product without a price in a currency is not sold in it.
CREATE TABLE catalogue_prices (
    product_id TEXT           NOT NULL REFERENCES catalogue (product_id) ON DELETE CASCADE,
    currency   CHAR(3)        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount     NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (product_id, currency)
);
