"""Reading, validating and joining the data behind the #sicherimDienst atlas.

This package knows nothing of Streamlit: it turns the official NRW boundaries,
BKG population figures and the shipped accession data into one coverage model
that the dashboard, the exports and the command line all query.
"""

from loaders.errors import AtlasError, DataError, InputError, SourceError

__all__ = ["AtlasError", "DataError", "InputError", "SourceError"]
