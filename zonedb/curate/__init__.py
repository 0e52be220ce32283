"""Growing the seeds: adding a source text (``sources``) and drafting its facts (``draft``)."""
