"""Reading numbers out of Chinese text: pure functions, no I/O, no database.

``quantity`` parses one number phrase, ``extract`` finds every phrase in a text,
``match`` finds a quote in a source text ignoring whitespace and character width."""
