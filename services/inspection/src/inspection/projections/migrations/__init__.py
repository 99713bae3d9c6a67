"""Alembic migrations of the inspection service's read models."""
