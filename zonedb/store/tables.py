"""The tables seeding fills, in the order rows are inserted (a row refers only to tables
before it). Apart from the models so that seeding in place does not import SQLAlchemy."""

LOAD_ORDER = ("sources", "zones", "metrics", "firms", "funds", "projects", "people", "reforms",
              "indicators", "ignored_mentions")

__all__ = ["LOAD_ORDER"]
