"""Reading, validating and joining the data behind the #sicherimDienst atlas.

This package knows nothing of Streamlit: it turns the official NRW boundaries,
BKG population figures and the shipped accession data into one coverage model
that the dashboard, the exports and the command line (``atlas_cli``) all query.
It is the bottom floor: no module here imports any other package of the
project (tests/unit/test_layers.py declares the floors). The membership
register (a database of accessions, partner-list imports, sign-ins) is the floor
above, :mod:`register`, which builds on this package and decides whether the
atlas shows its rows or the shipped ones (:mod:`register.atlasdata`).
"""

from loaders.errors import AtlasError, DataError, InputError, SourceError

__all__ = ["AtlasError", "DataError", "InputError", "SourceError"]
