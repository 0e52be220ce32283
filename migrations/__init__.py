"""Alembic migrations: the only way a zonedb schema is created or changed."""
