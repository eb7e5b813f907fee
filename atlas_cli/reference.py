"""The command-line reference, ``docs/cli.md``, written from the argparse parser.

The parser (:func:`atlas_cli.parser.build_parser`) is the one place where a command and
its options are declared; this module renders it as Markdown, so the reference cannot
say what the parser does not. ``make docs`` runs ``python -m atlas_cli.reference``;
``tests/unit/test_docs.py`` fails when ``docs/cli.md`` is not what :func:`render` writes
now, or when an option has no help text (:func:`undocumented`).

The output depends on the parser only, never on the terminal's width or the Python
version's help layout: the synopsis of each command is built here, not by argparse's
formatter.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from atlas_cli.parser import PROG, build_parser

#: Where ``make docs`` writes the reference, relative to the checkout.
REFERENCE = Path("docs") / "cli.md"

HEADER = """\
# Command-line reference

<!-- Written by `make docs` (python -m atlas_cli.reference) from atlas_cli/parser.py: do not edit by hand. -->

Every command of `{prog}` and every option, as the parser declares them (the same words as
`{prog} COMMAND --help`). What the commands are for, with examples: [Using the atlas](usage.md),
[Press exports](press.md), [Editors](editors.md). Every failure a user can cause ends in one
line on standard error and exit code 2.
"""


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = (), text: str = ""
) -> Iterator[tuple[tuple[str, ...], str, argparse.ArgumentParser]]:
    """Every command below ``parser``, depth first: its words, its one-line help and its parser.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="tool")
    >>> sub = parser.add_subparsers()
    >>> _ = sub.add_parser("go", help="go somewhere")
    >>> [(words, text) for words, text, _ in commands(parser)]
    [((), ''), (('go',), 'go somewhere')]
    """
    yield path, text, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield from commands(child, (*path, name), helps.get(name, ""))


def options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments a person gives to ``parser``: no ``--help``, no sub-command choice."""
    return [
        action
        for action in parser._actions
        if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
    ]


def undocumented(parser: argparse.ArgumentParser) -> list[str]:
    """Every command or option below ``parser`` without a help text, as ``"command --option"``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="tool")
    >>> _ = parser.add_argument("--known", help="explained")
    >>> _ = parser.add_argument("--new")
    >>> undocumented(parser)
    ['tool --new']
    """
    missing = []
    for words, text, command in commands(parser):
        name = " ".join((parser.prog, *words))
        if words and not text.strip():
            missing.append(name)
        missing.extend(f"{name} {_name(action)}" for action in options(command) if not (action.help or "").strip())
    return missing


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return "/".join(action.option_strings)
    return action.metavar if isinstance(action.metavar, str) else action.dest


def _value(action: argparse.Action) -> str:
    """What follows the option: ``DATE``, ``{a,b}`` or nothing for a switch."""
    if action.nargs == 0:
        return ""
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "{" + ",".join(str(choice) for choice in action.choices) + "}"
    metavar = action.metavar if isinstance(action.metavar, str) else None
    return metavar or action.dest.upper()


def _usage(words: tuple[str, ...], command: argparse.ArgumentParser) -> str:
    parts = [PROG, *words]
    for action in options(command):
        value = _value(action)
        if not action.option_strings:
            parts.append(f"[{value}]" if action.nargs == "?" else value)
            continue
        given = f"{action.option_strings[0]} {value}".strip()
        parts.append(given if action.required else f"[{given}]")
    if any(isinstance(action, argparse._SubParsersAction) for action in command._actions):
        parts.append("COMMAND")
    return " ".join(parts)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _default(action: argparse.Action) -> str:
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS) or action.required:
        return ""
    return f"`{action.default}`"


def _table(actions: list[argparse.Action]) -> list[str]:
    rows = ["| argument | value | default | what |", "|---|---|---|---|"]
    for action in actions:
        name = ", ".join(f"`{option}`" for option in action.option_strings) or f"`{_value(action)}`"
        value = f"`{_value(action)}`" if action.option_strings and _value(action) else ""
        what = _cell(action.help or "")
        if action.required and action.option_strings:
            what = f"required; {what}" if what else "required"
        rows.append(f"| {name} | {_cell(value)} | {_default(action)} | {what} |")
    return rows


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """The whole reference as Markdown, from ``parser`` (default: the ``sid-atlas`` parser).

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="sid-atlas", description="A tool.")
    >>> sub = parser.add_subparsers()
    >>> go = sub.add_parser("go", help="go somewhere")
    >>> _ = go.add_argument("--fast", action="store_true", help="hurry")
    >>> print(render(parser).split("## ", 1)[1])
    `sid-atlas go`
    <BLANKLINE>
    go somewhere
    <BLANKLINE>
    ```
    sid-atlas go [--fast]
    ```
    <BLANKLINE>
    | argument | value | default | what |
    |---|---|---|---|
    | `--fast` |  |  | hurry |
    <BLANKLINE>
    """
    parser = parser or build_parser()
    out = [HEADER.format(prog=PROG).rstrip("\n"), ""]
    if parser.description:
        out += [parser.description, ""]
    for words, text, command in commands(parser):
        if not words:
            continue
        out += [f"{'#' * min(len(words) + 1, 4)} `{' '.join((PROG, *words))}`", ""]
        for paragraph in (text, command.description):
            if paragraph:
                out += [_cell(paragraph), ""]
        out += ["```", _usage(words, command), "```", ""]
        grouped = {id(action) for group in command._action_groups[2:] for action in group._group_actions}
        plain = [action for action in options(command) if id(action) not in grouped]
        if plain:
            out += [*_table(plain), ""]
        for group in command._action_groups[2:]:
            actions = [action for action in group._group_actions if action in options(command)]
            if not actions:
                continue
            out += [f"**{group.title}**", ""]
            if group.description:
                out += [_cell(group.description), ""]
            out += [*_table(actions), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the reference to the file named (default ``docs/cli.md``); ``-`` prints it."""
    target = (argv if argv is not None else sys.argv[1:]) or [str(REFERENCE)]
    text = render()
    if target[0] == "-":
        sys.stdout.write(text)
    else:
        Path(target[0]).write_text(text, encoding="utf-8")
        print(f"wrote {target[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
