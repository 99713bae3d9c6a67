"""Alembic migrations of the registry's read models (version table ``registry_alembic_version``)."""
