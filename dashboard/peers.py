"""Who is asking: the client's address, as the server and the page name it for limits and logs.

Below the server (:mod:`dashboard.webserver`) and the page (:mod:`dashboard.accessibility`,
the feedback form's daily cap), so neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Mapping


def client_address(peer: str | None, headers: Mapping[str, str] | None = None) -> str:
    """The client's address: the ASGI peer, which is the TCP peer or what the trusted proxy says it is.

    uvicorn replaces the peer by the address in ``X-Forwarded-For`` only for a
    request from ``$SID_ATLAS_TRUSTED_PROXY`` (:func:`dashboard.webserver.uvicorn_settings`), and
    the shipped nginx sets that header to its own peer, never passing on one a
    client sent. No header is read here: ``headers`` is kept for callers.

    Examples
    --------
    >>> client_address("203.0.113.7", {"x-forwarded-for": "1.2.3.4", "x-real-ip": "1.2.3.4"}), client_address(None)
    ('203.0.113.7', 'unknown')
    """
    return (peer or "unknown")[:64]
