"""Reading the database for people: queries over the ``v_*`` views, a zone's dossier,
citations, comparisons, series and conflicts, coverage of the sources, export."""
