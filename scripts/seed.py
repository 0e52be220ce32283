"""Build the database from seeds/: a thin wrapper over ``zonedb seed`` for `python scripts/seed.py`."""

import sys

from zonedb.cli import app

if __name__ == "__main__":
    app(["seed", *sys.argv[1:]], prog_name="scripts/seed.py")
