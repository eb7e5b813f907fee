"""Text that Streamlit would read as Markdown, shown as the plain text it is.

``st.warning``, ``st.info`` and ``st.markdown`` render Markdown (links,
images, autolinked URLs). A notice that echoes a URL parameter is
attacker-controlled: ``?region=[Login](https://…) ![x](http://…)`` must show
those characters, not a working link or a request to another host.
"""

from __future__ import annotations

import re

# CommonMark lets every ASCII punctuation character be escaped with a backslash;
# escaping all of them also breaks GFM's autolinks ("https://…", "www.…").
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: str, limit: int = 500) -> str:
    """``text`` escaped so that Markdown shows it literally, cut to ``limit`` characters.

    Examples
    --------
    >>> plain("[Login](https://evil.example) ![x](http://x/y.png)")
    '\\\\[Login\\\\]\\\\(https\\\\:\\\\/\\\\/evil\\\\.example\\\\) \\\\!\\\\[x\\\\]\\\\(http\\\\:\\\\/\\\\/x\\\\/y\\\\.png\\\\)'
    >>> len(plain("x" * 10_000)) <= 502
    True
    """
    if len(text) > limit:
        text = text[:limit] + " …"
    return _PUNCTUATION.sub(r"\\\1", text.replace("\n", " "))


def for_viewers(error: Exception, lang: str = "de") -> str:
    """What a viewer reads about a failure to load: never the register's address, user or database.

    A register failure goes to the log with its details and shows one sentence;
    any other error (a missing data file: a fault of the installation) keeps its
    message, which names no connection.

    Examples
    --------
    >>> from register.errors import RegisterError
    >>> for_viewers(RegisterError("register postgresql+psycopg://atlas_app:***@127.0.0.1:1/secretdb: connection failed"))
    'Register nicht erreichbar. Bitte später noch einmal versuchen.'
    >>> for_viewers(ValueError("geodata/x.csv is missing"))
    'geodata/x.csv is missing'
    """
    import logging

    from register.errors import RegisterError
    from viewmodel.i18n import t

    if isinstance(error, RegisterError):
        logging.getLogger("sid_atlas.server").error("register unavailable: %s", error)
        return t("reg_unreachable", lang)
    return str(error)
