"""From a seeds folder (YAML records and source texts) to validated rows, ready to insert.

``read`` walks the folder, ``records`` builds one row per record kind, ``context`` holds
the state one reading shares, ``spec`` the fields of each kind, ``yamlio`` the YAML
loader that keeps line numbers."""
