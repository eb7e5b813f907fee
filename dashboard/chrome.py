"""What Streamlit draws around our pages, in the page's language: its words, its fields' locale, the page shell.

Streamlit's frontend speaks English and offers no setting for another
language, so ``sid-atlas serve`` serves its script bundles rewritten, once per
process (:func:`translated_bundles`): each text of
:data:`viewmodel.i18n.FRONTEND` becomes a choice made where it is shown, by
the page's language (``<html lang>``, set by the shell for the first page and
kept by ``dashboard/page.js`` as the language toggle changes the address), and
react-aria's fields (date fields, select boxes, calendars) take the page's
locale (:data:`LOCALES`), which brings their own German (``Tag``,
``Ausgewähltes Datum: …``, ``3 Optionen verfügbar.``). One bundle thus serves
the German and the English view.

Everything here reads Streamlit's internals: docs/streamlit-upgrade.md lists
every place the product depends on them, and ``tests/unit/test_chrome.py``
fails when an upgrade renames a text (every key must be found) or when a new
dependency is not on that list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from dashboard import urls

# The page's language as the rewritten bundles read it, wherever a text is shown (the shell sets it
# from ?lang=, dashboard/page.js follows the address). Anything but English is German.
ENGLISH = 'self.document?.documentElement.lang==="en"'
# react-aria's fields take the page's locale instead of Streamlit's fixed en-US (fields) and the
# browser's (calendars): their segment names, announcements and month names follow the page.
# British English, as the product's own English ("1 February 2024").
LOCALE = f'({ENGLISH}?"en-GB":"de-DE")'
LOCALES: dict[str, dict[str, str]] = {
    "DateInput": {"locale:`en-US`": f"locale:{LOCALE}"},
    "Selectbox": {"locale:`en-US`": f"locale:{LOCALE}"},
    "index": {"locale:window.navigator.language": f"locale:{LOCALE}"},
    "UriUtil": {"locale:window.navigator.language": f"locale:{LOCALE}"},
}
PLACEHOLDER = "${…}"
_KEY = re.compile(r"(?s)(?P<context>.*?)(?P<open>`|^\})(?P<text>[^`]*)(?P<close>`|\$\{)$")


def _literal(text: str) -> str:
    """Words as the text of a template literal (backslashes, backticks and ``${`` escaped).

    Examples
    --------
    >>> print(_literal("a `b` ${c} \\\\d"))
    a \\`b\\` \\${c} \\\\d
    """
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")


def rewriting(key: str, german: str, english: str) -> tuple[re.Pattern, str]:
    """The pattern of one :data:`~viewmodel.i18n.FRONTEND` key and its replacement (``\\1`` … for placeholders).

    Examples
    --------
    >>> pattern, replacement = rewriting('"aria-label":`Sidebar`', "Seitenleiste", "Sidebar")
    >>> print(pattern.sub(replacement, 'id:`Sidebar`,"aria-label":`Sidebar`'))
    id:`Sidebar`,"aria-label":`${self.document?.documentElement.lang==="en"?`Sidebar`:`Seitenleiste`}`
    >>> pattern, replacement = rewriting("`Help for ${", "Hilfe zu ", "Help for ")
    >>> print(pattern.sub(replacement, "`Help for ${t.replaceAll(/\\\\s+/g,` `)}`"))
    `${self.document?.documentElement.lang==="en"?`Help for `:`Hilfe zu `}${t.replaceAll(/\\s+/g,` `)}`
    >>> pattern, replacement = rewriting("`between ${…} and ${…}.`", "zwischen {0} und {1}.", "from {0} to {1}.")
    >>> print(pattern.sub(replacement, "x?`between ${n} and ${r}.`:null"))
    x?`${self.document?.documentElement.lang==="en"?`from ${n} to ${r}.`:`zwischen ${n} und ${r}.`}`:null
    """
    found = _KEY.fullmatch(key)
    if not found:
        raise ValueError(f"not a template literal at the end of the key: {key!r}")
    context, opening, text, closing = found.group("context", "open", "text", "close")
    parts = text.split(PLACEHOLDER)
    pattern = re.escape(context + opening) + r"(\$\{[^{}`]*\})".join(map(re.escape, parts))
    pattern += re.escape(closing)

    holes = len(parts) - 1
    for value in (german, english):
        if any(f"{{{i}}}" not in value for i in range(holes)):
            raise ValueError(f"{key!r}: {value!r} does not put back every placeholder")
    replacement = "".join(
        [
            _sub_text(context + opening),
            "${" + _sub_text(ENGLISH) + "?`",
            _holes(english, holes),
            "`:`",
            _holes(german, holes),
            "`}",
            _sub_text(closing),
        ]
    )
    return re.compile(pattern), replacement


def _sub_text(text: str) -> str:
    """Source text as it stands in a :func:`re.sub` replacement (backslashes doubled)."""
    return text.replace("\\", "\\\\")


def _holes(words: str, count: int) -> str:
    r"""Words escaped for a template literal and for :func:`re.sub`, ``{0}`` … becoming the placeholders ``\1`` ….

    Examples
    --------
    >>> print(_holes("zwischen {0} und {1}", 2))
    zwischen \1 und \2
    """
    escaped = _literal(words).replace("\\", "\\\\")
    for i in range(count):
        escaped = escaped.replace(f"{{{i}}}", f"\\{i + 1}")
    return escaped


# Words that may stand right before a template literal that is not a tagged template.
KEYWORDS = frozenset({"return", "case", "typeof", "void", "in", "of", "else", "yield", "await", "throw", "delete"})


def _untagged(match: re.Match) -> bool:
    """Whether a literal found without source before it is plain, not a tagged template (``css`…```).

    Examples
    --------
    >>> [_untagged(re.search("`a`", text)) for text in ("x=`a`", "return`a`", "css`a`", "f()`a`")]
    [True, True, False, False]
    """
    before = match.string[max(0, match.start() - 16) : match.start()]  # a keyword is short
    if not before or match.group().startswith(("}", '"')) or not re.search(r"[\w$)\]]$", before):
        return True
    trailing = re.search(r"[\w$]*$", before)  # always matches, perhaps the empty word
    word = trailing.group() if trailing else ""
    return word in KEYWORDS and not re.search(r"[\w$.]$", before[: -len(word)] or " ")


def _context(key: str) -> str:
    """What a table key names before its literal (keys are checked against :data:`_KEY` when the table is read)."""
    match = _KEY.fullmatch(key)
    if match is None:
        raise ValueError(f"not a frontend key: {key!r}")
    return match.group("context")


def bundle_name(path: Path) -> str:
    """A bundle's name without its content hash: ``DateInput.BHx02NDa.js`` -> ``DateInput``."""
    return path.name.split(".", 1)[0]


def rewrite(text: str, table: Mapping[str, tuple[str, str]], code: Mapping[str, str]) -> tuple[str, set[str]]:
    """One bundle's text with ``table``'s words and ``code``'s locale rewritten; also the keys found in it.

    Examples
    --------
    >>> text, found = rewrite("a=`Expand sidebar`,b=locale:`en-US`", {"`Expand sidebar`": ("Ausklappen", "Expand")},
    ...                       {"locale:`en-US`": "locale:x"})
    >>> print(text)
    a=`${self.document?.documentElement.lang==="en"?`Expand`:`Ausklappen`}`,b=locale:x
    >>> sorted(found)
    ['`Expand sidebar`', 'locale:`en-US`']
    """
    found = set()
    # The most specific first: a key whose source names another key's literal ("`Stopping...`:`Stop`").
    for key in sorted(table, key=lambda key: -len(_context(key))):
        pattern, replacement = rewriting(key, *table[key])

        def replace(m: re.Match[str], r: str = replacement) -> str:
            return m.expand(r) if _untagged(m) else m.group()

        text, count = pattern.subn(replace, text)
        if count:
            found.add(key)
    for key, replacement in code.items():
        if key in text:
            text = text.replace(key, replacement)
            found.add(key)
    return text, found


def translated_bundles(static_dir: Path) -> dict[str, bytes]:
    """Streamlit's script bundles that hold words of :data:`~viewmodel.i18n.FRONTEND` or a locale, rewritten; by URL path.

    ``static_dir`` is Streamlit's ``static`` folder (``streamlit.file_util.get_static_dir()``).

    Raises
    ------
    RuntimeError
        A key is in none of its bundles (another Streamlit version): better a
        failed start than English words or a wrong locale on the German page.
    """
    from viewmodel.i18n import FRONTEND

    patched: dict[str, bytes] = {}
    missing = []
    for name in sorted(set(FRONTEND) | set(LOCALES)):
        table, code = FRONTEND.get(name, {}), LOCALES.get(name, {})
        found: set[str] = set()
        for path in sorted((static_dir / "static" / "js").glob(f"{name}.*.js")):
            if bundle_name(path) != name:
                continue
            text, here = rewrite(path.read_text(encoding="utf-8"), table, code)
            if here:
                patched[f"/static/js/{path.name}"] = text.encode("utf-8")
                found |= here
        missing += [f"{name}: {key}" for key in [*table, *code] if key not in found]
    if missing:
        raise RuntimeError(f"Streamlit's frontend lacks texts to translate (docs/streamlit-upgrade.md): {missing}")
    return patched


# -- the page shell ------------------------------------------------------------------------------
HERE = Path(__file__).resolve().parent
# The shell's own files, served by the app itself (the Content-Security-Policy allows no inline script
# and no other origin): the page's script (language, keyboard, inert sidebar, sortable tables) and its style.
PAGE_SCRIPT_PATH = "/_sid/seite.js"
PAGE_STYLE_PATH = "/_sid/seite.css"
SHELL_FILES = {
    PAGE_SCRIPT_PATH: (HERE / "page.js", "text/javascript; charset=utf-8"),
    PAGE_STYLE_PATH: (HERE / "page.css", "text/css; charset=utf-8"),
}
NOSCRIPT = {
    "de": "Bitte JavaScript einschalten, um diese Seite zu sehen.",
    "en": "Please turn on JavaScript to see this page.",
}


def shell_lang(query: str) -> str:
    """The language of a page's first shell, from its address (``?lang=en``; German otherwise).

    Examples
    --------
    >>> shell_lang("date=2024-02-01&lang=en"), shell_lang("lang=fr"), shell_lang("")
    ('en', 'de', 'de')
    """
    from urllib.parse import parse_qs

    return "en" if parse_qs(query).get("lang") == ["en"] else "de"


def shell(text: str, base: str = "", lang: str = "de") -> str:
    """Streamlit's index.html as the shell of our pages: their language, title, script and style.

    Its one inline script goes (the CSP would block it); the page's script and
    style are loaded from the app itself (:data:`SHELL_FILES`).

    Examples
    --------
    >>> text = shell('<html lang="en"><head><title>Streamlit</title><script>\\n window.prerenderReady = false\\n</script>'
    ...              '</head><noscript>You need to enable JavaScript to run this app.</noscript>', "/atlas")
    >>> print(text.replace("><", ">\\n<"))
    <html lang="de">
    <head>
    <title>#sicherimDienst</title>
    <link rel="stylesheet" href="/atlas/_sid/seite.css">
    <script src="/atlas/_sid/seite.js" defer>
    </script>
    </head>
    <noscript>Bitte JavaScript einschalten, um diese Seite zu sehen.</noscript>
    """
    for anchor in ('<html lang="en">', "<title>Streamlit</title>", "</head>", "<noscript>"):
        if anchor not in text:
            raise RuntimeError(f"Streamlit's index.html changed (docs/streamlit-upgrade.md): no {anchor!r}")
    text = text.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    text = text.replace("<title>Streamlit</title>", "<title>#sicherimDienst</title>", 1)
    text = re.sub(
        r"(<!--[^>]*prerenderReady[^>]*-->\s*)?<script>\s*window\.prerenderReady = false\s*</script>\s*",
        "",
        text,
        count=1,
    )
    if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
        raise RuntimeError(
            "Streamlit's index.html has an inline script the CSP would block (docs/streamlit-upgrade.md)"
        )
    text = text.replace(
        "</head>",
        f'<link rel="stylesheet" href="{urls.path(PAGE_STYLE_PATH, base=base)}">'
        f'<script src="{urls.path(PAGE_SCRIPT_PATH, base=base)}" defer></script></head>',
        1,
    )
    return re.sub(r"<noscript>.*?</noscript>", f"<noscript>{NOSCRIPT[lang]}</noscript>", text, count=1, flags=re.DOTALL)
