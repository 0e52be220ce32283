"""Provenance: source metadata for citing (url, date accessed, licence, citation), ranks on
indicator statements (preferred / deprecated with a reason), and the v_figures view that
groups the statements of one figure and says whether they agree.

Revision ID: 0002_provenance
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_provenance"
down_revision = "0001"
branch_labels = None
depends_on = None

# Relative tolerance of 约/左右 (approx) and 近/接近 (nearly): 约40亿元 covers 38..42亿元.
# Kept in step with zonedb.figures.TOLERANCE.
TOLERANCE = 0.05
_EPS = 1e-9

_LO = f"""CASE WHEN i.qualifier IS NULL THEN i.value
     WHEN i.qualifier IN ('approx', 'nearly') THEN i.value * {1 - TOLERANCE}
     WHEN i.qualifier IN ('more_than', 'at_least') THEN i.value
     ELSE NULL END"""
_HI = f"""CASE WHEN i.qualifier IS NULL THEN COALESCE(i.value_high, i.value)
     WHEN i.qualifier = 'approx' THEN COALESCE(i.value_high, i.value) * {1 + TOLERANCE}
     WHEN i.qualifier IN ('nearly', 'less_than') THEN COALESCE(i.value_high, i.value)
     ELSE NULL END"""

V_FIGURES = f"""
CREATE VIEW v_figures AS
WITH st AS (
    SELECT i.*, {_LO} AS lo, {_HI} AS hi,
        CASE WHEN i.qualifier IS NULL THEN 0 WHEN i.qualifier = 'approx' THEN 1
             WHEN i.qualifier = 'nearly' THEN 2 ELSE 3 END AS vagueness
    FROM indicators i
), g AS (
    SELECT zone_id, metric_id, period, role, firm_id, fund_id, project_id,
        count(*) AS statements, count(DISTINCT source_id) AS sources,
        sum(CASE WHEN rank = 'deprecated' THEN 1 ELSE 0 END) AS deprecated,
        max(CASE WHEN rank = 'preferred' THEN value END) AS preferred_value,
        max(CASE WHEN rank IS DISTINCT FROM 'deprecated' THEN lo END) AS lo,
        min(CASE WHEN rank IS DISTINCT FROM 'deprecated' THEN hi END) AS hi,
        min(CASE WHEN rank IS DISTINCT FROM 'deprecated' THEN vagueness END) AS vagueness,
        min(unit) AS unit
    FROM st
    GROUP BY zone_id, metric_id, period, role, firm_id, fund_id, project_id
), a AS (
    SELECT g.*, CASE WHEN g.lo IS NULL OR g.hi IS NULL OR g.lo <= g.hi * {1 + _EPS}
                     THEN 1 ELSE 0 END AS agree
    FROM g
)
SELECT z.slug AS zone, m.slug AS metric, a.period, a.role, f.slug AS firm, fu.slug AS fund,
    p.slug AS project, a.unit, a.statements, a.sources, a.deprecated, a.agree,
    CASE WHEN a.preferred_value IS NOT NULL THEN a.preferred_value
         WHEN a.agree = 1 THEN (
             SELECT max(st.value) FROM st
             WHERE st.zone_id = a.zone_id AND st.metric_id = a.metric_id
               AND st.period IS NOT DISTINCT FROM a.period
               AND st.role IS NOT DISTINCT FROM a.role
               AND st.firm_id IS NOT DISTINCT FROM a.firm_id
               AND st.fund_id IS NOT DISTINCT FROM a.fund_id
               AND st.project_id IS NOT DISTINCT FROM a.project_id
               AND st.rank IS DISTINCT FROM 'deprecated' AND st.vagueness = a.vagueness)
         END AS value,
    CASE WHEN a.preferred_value IS NOT NULL THEN 'preferred'
         WHEN a.agree = 1 THEN 'agreed' ELSE 'conflict' END AS status
FROM a
JOIN zones z ON z.id = a.zone_id
JOIN metrics m ON m.id = a.metric_id
LEFT JOIN firms f ON f.id = a.firm_id
LEFT JOIN funds fu ON fu.id = a.fund_id
LEFT JOIN projects p ON p.id = a.project_id"""

V_SOURCES = """
CREATE VIEW v_sources AS
SELECT s.id, s.slug, s.title, s.publisher, s.date, s.author, s.kind, s.language, s.file,
    s.sha256, p.slug AS section_of, s.parent_start, s.parent_end, length(s.text) AS chars,
    s.note, s.url, s.date_accessed, s.licence, s.citation
FROM sources s
LEFT JOIN sources p ON p.id = s.parent_id"""

V_SOURCES_0001 = """
CREATE VIEW v_sources AS
SELECT s.id, s.slug, s.title, s.publisher, s.date, s.author, s.kind, s.language, s.file,
    s.sha256, p.slug AS section_of, s.parent_start, s.parent_end, length(s.text) AS chars,
    s.note
FROM sources s
LEFT JOIN sources p ON p.id = s.parent_id"""


def upgrade() -> None:
    op.execute("DROP VIEW v_sources")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("date_accessed", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("licence", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("citation", sa.Text(), nullable=True))
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rank", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("rank_reason", sa.Text(), nullable=True))
    op.execute(V_SOURCES)
    op.execute(V_FIGURES)


def downgrade() -> None:
    op.execute("DROP VIEW v_figures")
    op.execute("DROP VIEW v_sources")
    # plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy would break the views
    for table, column in (("indicators", "rank_reason"), ("indicators", "rank"),
                          ("sources", "citation"), ("sources", "licence"),
                          ("sources", "date_accessed"), ("sources", "url")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.execute(V_SOURCES_0001)
