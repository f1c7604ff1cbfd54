-- A cancelled order's stock comes back only once no shipment for it can be live (docs/saga.md, "Compensations"):
-- the cancellation is noted here (cancel_reason, the release reason it will carry), and the stock stays held until
-- payment-service says nothing was charged (PaymentVoided), a charge nobody shipped for was refunded, or
-- shipping-service called the shipment off. payment_authorized: a PaymentAuthorized for the order was read, so
-- shipping-service may have booked a shipment.
ALTER TABLE reservations ADD COLUMN cancel_reason TEXT;
ALTER TABLE reservations ADD COLUMN payment_authorized BOOLEAN NOT NULL DEFAULT false;
-- Reservations made before this version may have been paid and shipped: taken as paid, so that a refund of one waits
-- for ShipmentCancelled, which shipping-service sends for every refund, booked or not.
UPDATE reservations SET payment_authorized = true WHERE status = 'RESERVED';
