"""Measuring the knowledge base: a labelled retrieval set over the demo data (`make eval-knowledge`)
and a benchmark over synthetic deals (`make bench-knowledge`)."""
