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
