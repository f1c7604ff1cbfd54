-- The catalogue's price list: what one unit costs in each currency a product is sold in. A currency without a row is
-- not sold. Prices are inventory's to set; order-service prices every order from its copy of them.
CREATE TABLE prices (
    product_id TEXT          NOT NULL REFERENCES stock (product_id),
    currency   CHAR(3)       NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount     NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (product_id, currency)
);

INSERT INTO prices (product_id, currency, amount)
SELECT product_id, currency, amount
FROM (VALUES
    ('KB-001', 'EUR', 89.90), ('KB-001', 'USD', 99.00), ('KB-001', 'GBP', 79.00),
    ('MS-002', 'EUR', 24.50), ('MS-002', 'USD', 27.00), ('MS-002', 'GBP', 21.50),
    ('MN-003', 'EUR', 229.00), ('MN-003', 'USD', 249.00), ('MN-003', 'GBP', 199.00),
    ('HB-004', 'EUR', 32.00), ('HB-004', 'USD', 35.00), ('HB-004', 'GBP', 35.00),
    ('CH-005', 'EUR', 219.00), ('CH-005', 'USD', 239.00), ('CH-005', 'GBP', 199.00),
    ('LT-006', 'EUR', 39.00), ('LT-006', 'USD', 42.00), ('LT-006', 'GBP', 34.00)
) AS demo (product_id, currency, amount)
WHERE EXISTS (SELECT 1 FROM stock WHERE stock.product_id = demo.product_id);

-- Listings announced before prices existed named none: announce every product again, with its prices.
UPDATE stock SET listed_at = NULL;
