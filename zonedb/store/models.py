"""SQLAlchemy 2.0 models: the tables of a zonedb database.

The schema is created only by the Alembic migrations in ``migrations/``; these
models describe it for the loader and for ``alembic check`` (a test proves the
two do not drift). Reading goes through the ``v_*`` views the migrations define.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from zonedb.store.tables import LOAD_ORDER

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _linked(table: str, column: str) -> Index:
    """An index on a link column over the rows that have one (migration 0007_link_indexes):
    the rows about one firm, fund or project, found without reading every row."""
    where = text(f"{column} IS NOT NULL")
    return Index(f"ix_{table}_{column}", column, sqlite_where=where, postgresql_where=where)


class Quoted:
    """Provenance shared by every row that states something: the raw quote and its offsets."""

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    quote: Mapped[str] = mapped_column(Text)
    quote_start: Mapped[int] = mapped_column(Integer)
    quote_end: Mapped[int] = mapped_column(Integer)


class Source(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(10))
    author: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(10))
    file: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    parent_start: Mapped[int | None] = mapped_column(Integer)
    parent_end: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    date_accessed: Mapped[str | None] = mapped_column(String(10))
    licence: Mapped[str | None] = mapped_column(Text)
    citation: Mapped[str | None] = mapped_column(Text)


class Zone(Base):
    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    aliases: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    district: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    quote: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None] = mapped_column(Integer)
    quote_end: Mapped[int | None] = mapped_column(Integer)


class Metric(Base):
    __tablename__ = "metrics"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    label_zh: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)


class Named(Quoted):
    """What firms, funds, projects and people share: a slug, names, a zone and a note."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), index=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Firm(Named, Base):
    __tablename__ = "firms"
    aliases: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)


class Fund(Named, Base):
    __tablename__ = "funds"


class Project(Named, Base):
    __tablename__ = "projects"
    __table_args__ = (_linked("projects", "firm_id"),)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firms.id"))


class Person(Named, Base):
    __tablename__ = "people"
    role_zh: Mapped[str | None] = mapped_column(Text)
    role_en: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(Text)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firms.id"))


class Reform(Quoted, Base):
    __tablename__ = "reforms"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)


class Indicator(Quoted, Base):
    """One figure stated by a source: value parsed from ``as_written`` inside ``quote``."""

    __tablename__ = "indicators"
    # a statement's figure in one probe (v_indicators.preferred, migration 000N_ranks)
    __table_args__ = (Index("ix_indicators_figure", "zone_id", "metric_id", "period"),
                      *(_linked("indicators", c) for c in ("firm_id", "fund_id", "project_id")))
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    count: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(40))
    qualifier: Mapped[str | None] = mapped_column(String(20))
    period: Mapped[str | None] = mapped_column(String(40))
    as_written: Mapped[str] = mapped_column(Text)
    written_start: Mapped[int] = mapped_column(Integer)
    written_end: Mapped[int] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(20))
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firms.id"))
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("funds.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    note: Mapped[str | None] = mapped_column(Text)
    seed_file: Mapped[str] = mapped_column(Text)
    seed_line: Mapped[int] = mapped_column(Integer)
    rank: Mapped[str | None] = mapped_column(String(20))
    rank_reason: Mapped[str | None] = mapped_column(Text)


class Ignored(Quoted, Base):
    """A number in a source that is deliberately not a fact (a date, a number inside a name)."""

    __tablename__ = "ignored_mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    as_written: Mapped[str] = mapped_column(Text)
    written_start: Mapped[int] = mapped_column(Integer)
    written_end: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)


class SearchRow(Base):
    """One row's folded search text, indexed by bigrams (``zonedb.store.search``); derived, rebuilt
    by every seeding."""

    __tablename__ = "search_rows"
    __table_args__ = (Index("ix_search_rows_tbl_row_id", "tbl", "row_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tbl: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)



class SeedFile(Base):
    """A seed file as it was at the last seeding (``zonedb.store.reseed``): a file whose
    size and mtime, or else sha256, still match is not read again. ``n_rows`` is how many
    rows of ``tbl`` it gave (facts/ and ignore/ files), which places its ids."""

    __tablename__ = "seed_files"
    path: Mapped[str] = mapped_column(Text, primary_key=True)
    sha256: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    tbl: Mapped[str | None] = mapped_column(Text)
    n_rows: Mapped[int | None] = mapped_column(Integer)


class SeedState(Base):
    """What the fingerprints are valid for: the seeds folder, zonedb version, schema."""

    __tablename__ = "seed_state"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


assert set(LOAD_ORDER) <= set(Base.metadata.tables), "store/tables.py names a table models lack"
