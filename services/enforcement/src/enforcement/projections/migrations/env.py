"""Alembic environment: migrations always run on a connection handed over in code."""

from alembic import context

from enforcement.projections.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=context.config.attributes.get("version_table", "enforcement_alembic_version"),
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
