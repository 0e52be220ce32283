"""The curated seeds, shipped inside the package so `zonedb` works from any folder."""
