"""Text typed by strangers, checked for what no name contains: control and invisible formatting characters.

A name (of a body in a partner list, of an editor's account, in a feedback
report's contact field) is shown to people and written to logs. A BEL or an
escape sequence reaches a terminal; a right-to-left override (U+202E) makes
``Köln\u202etxt.exe`` read differently from what it is; a zero-width space makes
two names look alike. Such a name is refused with the characters named, never
stored and never silently cleaned (whoever typed it should know).
"""

from __future__ import annotations

import unicodedata

# Unicode categories no name needs: control (C0, DEL, C1), format (bidi embeddings, overrides and
# isolates U+202A–202E and U+2066–2069, marks U+200E/200F, zero-width characters), line and
# paragraph separators, surrogates and private use.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def hidden_characters(text: str, allow: str = "") -> list[str]:
    """The hidden characters of ``text`` as ``U+XXXX``, each once, in order; ``allow`` lists exceptions.

    Examples
    --------
    >>> hidden_characters("Stadt Köln")
    []
    >>> hidden_characters("Köln\\u202etxt\\u0007\\u202e")
    ['U+202E', 'U+0007']
    >>> hidden_characters("Zeile 1\\nZeile 2", allow="\\n"), hidden_characters("a\\u2066b\\u2069")
    ([], ['U+2066', 'U+2069'])
    """
    found: dict[str, None] = {}
    for char in text:
        if char not in allow and unicodedata.category(char) in HIDDEN_CATEGORIES:
            found[f"U+{ord(char):04X}"] = None
    return list(found)
