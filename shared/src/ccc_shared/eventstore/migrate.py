"""Schema migrations (alembic), run in code so a production database upgrades in place."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

KERNEL_MIGRATIONS = Path(__file__).parent / "migrations"
KERNEL_VERSION_TABLE = "ccc_kernel_alembic_version"


def upgrade(
    engine: Engine,
    script_location: Path = KERNEL_MIGRATIONS,
    version_table: str = KERNEL_VERSION_TABLE,
    revision: str = "head",
) -> None:
    """Bring the database to ``revision``; services pass their own scripts and version table."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        config.attributes["version_table"] = version_table
        command.upgrade(config, revision)
