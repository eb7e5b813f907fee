"""A session that lost its replica: the page says it reconnected and that the view came back from the address.

A Streamlit session lives in one replica's memory; nginx keeps a browser on
its replica by the ``sid_replica`` cookie (``deploy/nginx.conf.template``).
When that replica is gone (its host down, its process killed), the browser's
websocket reconnects through nginx to another replica and asks to resume its
session by id (the third entry of the handshake's ``Sec-WebSocket-Protocol``).
The other replica has no such session: Streamlit starts a new one, whose
widgets and session state begin afresh, and the page rebuilds the view from
the address (every view is in its URL). :func:`notice` tells the viewer so,
once, in the page's language — a fact, not an error.

A reconnect to the same replica (a short network drop) resumes the old
session and shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

SHOWN = "sid_reconnect_noticed"


def previous_session(headers: Mapping[str, str]) -> str | None:
    """The session id the browser asked to resume in its websocket handshake, or None (a fresh page).

    Examples
    --------
    >>> previous_session({"Sec-Websocket-Protocol": "streamlit, xsrf-token, 0d3c0a2e-0000-4000-8000-000000000001"})
    '0d3c0a2e-0000-4000-8000-000000000001'
    >>> previous_session({"Sec-Websocket-Protocol": "streamlit, xsrf-token"}), previous_session({})
    (None, None)
    """
    raw = next((value for key, value in headers.items() if key.lower() == "sec-websocket-protocol"), "")
    entries = [entry.strip() for entry in raw.split(",")]
    return entries[2] if len(entries) >= 3 and entries[2] else None


def moved(headers: Mapping[str, str], session_id: str) -> bool:
    """Whether this session began as the resumption of another one this replica never had.

    Examples
    --------
    >>> header = {"sec-websocket-protocol": "streamlit, x, 11111111-1111-4111-8111-111111111111"}
    >>> moved(header, "22222222-2222-4222-8222-222222222222"), moved(header, "11111111-1111-4111-8111-111111111111")
    (True, False)
    >>> moved({}, "22222222-2222-4222-8222-222222222222")
    False
    """
    previous = previous_session(headers)
    return previous is not None and previous != session_id


def notice(lang: str) -> None:
    """On a session's first run, if it moved here from a lost replica: say so (an alert, read out once).

    It stands above the page until the next full run of the page (a
    Stichtag change reruns only the day's part and keeps it).
    """
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from viewmodel.i18n import t

    state = st.session_state
    if SHOWN in state:
        return
    ctx = get_script_run_ctx()
    state[SHOWN] = ctx is not None and moved(dict(st.context.headers), ctx.session_id)
    if state[SHOWN]:
        st.info(t("reconnected", lang), icon=":material/sync:")
