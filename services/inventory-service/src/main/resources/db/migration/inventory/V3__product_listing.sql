-- When a product was announced to other services (ProductListed); NULL until then.
ALTER TABLE stock ADD COLUMN listed_at TIMESTAMPTZ;
