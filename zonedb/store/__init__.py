"""The database: models and migrations, connections (``db.Reader``), loading seeded rows
(``load``), comparing a database with its seeds (``diff``), and the SQL guard."""
