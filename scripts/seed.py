"""Build the database from seeds/: a thin wrapper over ``zonedb seed``."""

import sys

from zonedb.cli import app

if __name__ == "__main__":
    app(["seed", *sys.argv[1:]], prog_name="scripts/seed.py")
