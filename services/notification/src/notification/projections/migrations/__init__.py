"""Alembic migrations of the notification service's own tables."""
