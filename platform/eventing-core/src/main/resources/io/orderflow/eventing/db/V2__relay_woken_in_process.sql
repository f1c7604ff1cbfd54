-- NOTIFY takes one lock for the whole server at commit and holds it through the WAL flush, so every transaction
-- that wrote the outbox committed one after another, in every service sharing the server (seen in the saga
-- benchmark as commits waiting up to 0.8 s on "AccessExclusiveLock on object"). The relay is now woken by the
-- writers of its own process after their commit, and polls for the rest.
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();
