"""Initial schema: sources, zones, metrics, firms, funds, projects, people, reforms,
indicators, ignored mentions, and the v_* views that ad-hoc SQL and the CLI read.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("label_zh", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metrics")),
        sa.UniqueConstraint("slug", name=op.f("uq_metrics_slug")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("parent_start", sa.Integer(), nullable=True),
        sa.Column("parent_end", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["sources.id"], name=op.f("fk_sources_parent_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("slug", name=op.f("uq_sources_slug")),
    )
    op.create_table(
        "ignored_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_written", sa.Text(), nullable=False),
        sa.Column("written_start", sa.Integer(), nullable=False),
        sa.Column("written_end", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_ignored_mentions_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ignored_mentions")),
    )
    op.create_table(
        "zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=True),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("district", sa.Text(), nullable=True),
        sa.Column("level", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("quote_start", sa.Integer(), nullable=True),
        sa.Column("quote_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_zones_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zones")),
        sa.UniqueConstraint("slug", name=op.f("uq_zones_slug")),
    )
    op.create_table(
        "firms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("aliases", sa.Text(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_firms_source_id_sources")
        ),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f("fk_firms_zone_id_zones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firms")),
        sa.UniqueConstraint("slug", name=op.f("uq_firms_slug")),
    )
    with op.batch_alter_table("firms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firms_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "funds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_funds_source_id_sources")
        ),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f("fk_funds_zone_id_zones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
        sa.UniqueConstraint("slug", name=op.f("uq_funds_slug")),
    )
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funds_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "reforms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_reforms_source_id_sources")
        ),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f("fk_reforms_zone_id_zones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reforms")),
        sa.UniqueConstraint("slug", name=op.f("uq_reforms_slug")),
    )
    with op.batch_alter_table("reforms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reforms_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("role_zh", sa.Text(), nullable=True),
        sa.Column("role_en", sa.Text(), nullable=True),
        sa.Column("organisation", sa.Text(), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("firm_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firms.id"], name=op.f("fk_people_firm_id_firms")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_people_source_id_sources")
        ),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f("fk_people_zone_id_zones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("slug", name=op.f("uq_people_slug")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("firm_id", sa.Integer(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firms.id"], name=op.f("fk_projects_firm_id_firms")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_projects_source_id_sources")
        ),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f("fk_projects_zone_id_zones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("slug", name=op.f("uq_projects_slug")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("value_high", sa.Float(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("qualifier", sa.String(length=20), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("as_written", sa.Text(), nullable=False),
        sa.Column("written_start", sa.Integer(), nullable=False),
        sa.Column("written_end", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("firm_id", sa.Integer(), nullable=True),
        sa.Column("fund_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("seed_file", sa.Text(), nullable=False),
        sa.Column("seed_line", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firms.id"], name=op.f("fk_indicators_firm_id_firms")
        ),
        sa.ForeignKeyConstraint(
            ["fund_id"], ["funds.id"], name=op.f("fk_indicators_fund_id_funds")
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metrics.id"], name=op.f("fk_indicators_metric_id_metrics")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_indicators_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_indicators_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name=op.f("fk_indicators_zone_id_zones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_metric_id"), ["metric_id"], unique=False)
        batch_op.create_index("ix_indicators_zone_metric", ["zone_id", "metric_id"], unique=False)
    for sql in VIEWS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index("ix_indicators_zone_metric")
        batch_op.drop_index(batch_op.f("ix_indicators_metric_id"))

    op.drop_table("indicators")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_zone_id"))

    op.drop_table("projects")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_zone_id"))

    op.drop_table("people")
    with op.batch_alter_table("reforms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reforms_zone_id"))

    op.drop_table("reforms")
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funds_zone_id"))

    op.drop_table("funds")
    with op.batch_alter_table("firms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firms_zone_id"))

    op.drop_table("firms")
    op.drop_table("zones")
    op.drop_table("ignored_mentions")
    op.drop_table("sources")
    op.drop_table("metrics")


_QUOTED = """
    s.slug AS source, {t}.quote, {t}.quote_start, {t}.quote_end"""

VIEWS = {
    "v_indicators": """
CREATE VIEW v_indicators AS
SELECT i.id, z.slug AS zone, z.name_zh AS zone_zh, z.name_en AS zone_en,
    m.slug AS metric, m.label_zh AS metric_zh, m.label_en AS metric_en,
    i.value, i.value_high, i.count, i.unit, i.qualifier, i.period, i.as_written,
    i.written_start, i.written_end, i.role,
    f.slug AS firm, fu.slug AS fund, p.slug AS project, i.note,"""
    + _QUOTED.format(t="i")
    + """
FROM indicators i
JOIN zones z ON z.id = i.zone_id
JOIN metrics m ON m.id = i.metric_id
JOIN sources s ON s.id = i.source_id
LEFT JOIN firms f ON f.id = i.firm_id
LEFT JOIN funds fu ON fu.id = i.fund_id
LEFT JOIN projects p ON p.id = i.project_id""",
    "v_reforms": """
CREATE VIEW v_reforms AS
SELECT r.id, z.slug AS zone, r.slug, r.name_zh, r.name_en, r.category, r.summary,"""
    + _QUOTED.format(t="r")
    + """
FROM reforms r
JOIN zones z ON z.id = r.zone_id
JOIN sources s ON s.id = r.source_id""",
    "v_firms": """
CREATE VIEW v_firms AS
SELECT f.id, z.slug AS zone, f.slug, f.name_zh, f.name_en, f.aliases, f.industry, f.note,"""
    + _QUOTED.format(t="f")
    + """
FROM firms f
LEFT JOIN zones z ON z.id = f.zone_id
JOIN sources s ON s.id = f.source_id""",
    "v_funds": """
CREATE VIEW v_funds AS
SELECT f.id, z.slug AS zone, f.slug, f.name_zh, f.name_en, f.note,"""
    + _QUOTED.format(t="f")
    + """
FROM funds f
LEFT JOIN zones z ON z.id = f.zone_id
JOIN sources s ON s.id = f.source_id""",
    "v_projects": """
CREATE VIEW v_projects AS
SELECT p.id, z.slug AS zone, p.slug, p.name_zh, p.name_en, f.slug AS firm, p.note,"""
    + _QUOTED.format(t="p")
    + """
FROM projects p
LEFT JOIN zones z ON z.id = p.zone_id
LEFT JOIN firms f ON f.id = p.firm_id
JOIN sources s ON s.id = p.source_id""",
    "v_people": """
CREATE VIEW v_people AS
SELECT p.id, z.slug AS zone, p.slug, p.name_zh, p.name_en, p.role_zh, p.role_en,
    p.organisation, f.slug AS firm, p.note,"""
    + _QUOTED.format(t="p")
    + """
FROM people p
LEFT JOIN zones z ON z.id = p.zone_id
LEFT JOIN firms f ON f.id = p.firm_id
JOIN sources s ON s.id = p.source_id""",
    "v_zones": """
CREATE VIEW v_zones AS
SELECT z.id, z.slug, z.name_zh, z.name_en, z.aliases, z.province, z.city, z.district,
    z.level, z.kind,
    (SELECT count(*) FROM indicators i WHERE i.zone_id = z.id) AS indicators,
    (SELECT count(*) FROM reforms r WHERE r.zone_id = z.id) AS reforms
FROM zones z""",
    "v_metrics": """
CREATE VIEW v_metrics AS
SELECT m.id, m.slug, m.label_zh, m.label_en, m.unit, m.description,
    (SELECT count(*) FROM indicators i WHERE i.metric_id = m.id) AS indicators
FROM metrics m""",
    "v_sources": """
CREATE VIEW v_sources AS
SELECT s.id, s.slug, s.title, s.publisher, s.date, s.author, s.kind, s.language, s.file,
    s.sha256, p.slug AS section_of, s.parent_start, s.parent_end, length(s.text) AS chars,
    s.note
FROM sources s
LEFT JOIN sources p ON p.id = s.parent_id""",
}
