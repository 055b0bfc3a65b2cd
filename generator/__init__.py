"""Dossier: structured YAML profiles → a cross-linked, searchable, offline analytic site.

The pipeline is load → validate → link → render → build, one module per stage;
`pipeline.py` strings the stages together and the CLI and the MkDocs plugin are
thin shells over it.
"""

__version__ = "0.1.0"
