"""Press exports: print-ready maps and the data behind a view, for the app and the CLI.

One entry point, :func:`exports.dispatch.export`, turns a
:class:`loaders.viewstate.ViewState` into the bytes of a file, so the
dashboard's download buttons and ``sid-atlas export`` give the same result
for the same view; what it can make is listed in :mod:`exports.formats` (import-free,
so the CLI offers it without loading the rest). matplotlib is imported only here,
never by ``loaders``.
"""
