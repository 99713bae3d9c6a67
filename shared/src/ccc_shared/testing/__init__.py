"""Test support: real servers (NATS, PostgreSQL, SQLite) and helpers for service tests."""
