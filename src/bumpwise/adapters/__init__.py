"""Adapters to the world outside the use cases: outgoing mail (SMTP or an outbox folder) and
secrets (password hashing, tokens, sealing). Services use them; they import no service."""
