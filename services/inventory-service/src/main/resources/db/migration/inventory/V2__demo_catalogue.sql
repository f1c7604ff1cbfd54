-- The demo catalogue. LT-006 is out of stock so that the demo shows a rejection.
INSERT INTO stock (product_id, name, available) VALUES
    ('KB-001', 'Mechanical keyboard', 50),
    ('MS-002', 'Wireless mouse', 100),
    ('MN-003', '27-inch monitor', 20),
    ('HB-004', 'USB-C hub', 200),
    ('CH-005', 'Office chair', 5),
    ('LT-006', 'Laptop stand', 0);
