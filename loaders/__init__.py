"""Reading, validating and joining the data behind the #sicherimDienst atlas.

This package knows nothing of Streamlit: it turns the official NRW boundaries,
BKG population figures and the shipped accession data into one coverage model
that the dashboard, the exports and the command line (``atlas_cli``) all query.
It is the bottom layer: no module here imports ``atlas_cli``, ``viewmodel``,
``exports`` or ``dashboard`` (tests/unit/test_layers.py). The membership
register (a database of accessions, partner-list imports, sign-ins) lives beside
it in :mod:`register`, which builds on this package.
"""

from loaders.errors import AtlasError, DataError, InputError, SourceError

__all__ = ["AtlasError", "DataError", "InputError", "SourceError"]
