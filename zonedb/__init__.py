"""zonedb: a relational database of what articles say about China's development zones.

The Python API mirrors the CLI: ``seed`` builds a database from a seeds folder,
``queries`` reads it, ``quantity.parse_quantity`` reads one number phrase and
``extract.extract_mentions`` finds every number phrase in a text.
"""

__version__ = "0.1.0"
