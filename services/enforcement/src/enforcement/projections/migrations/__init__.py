"""Alembic migrations of the enforcement read models."""
