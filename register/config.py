"""Where the membership register lives, answered without loading the database layer.

Asking "is a register configured?" (every ``sid-atlas coverage``, every
dashboard start) imports no SQLAlchemy: ``import register`` loads only this
module and :mod:`register.errors`, and re-exports everything here.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from loaders.errors import InputError
from loaders.paths import data_root

URL_ENV = "SID_ATLAS_REGISTER_URL"
#: Streamlit's secrets file of the working directory (relative: resolved where a command or the server runs,
#: the file ``st.secrets`` reads there too). ``make run`` runs in the checkout, so it is the checkout's.
SECRETS_PATH = Path(".streamlit") / "secrets.toml"
CONNECTION_NAME = "register"


def configured_url(explicit: str | None = None, secrets_path: Path = SECRETS_PATH) -> str | None:
    """The register's URL as configured, or None when nothing is.

    Parameters
    ----------
    explicit : str, optional
        A URL given on the command line (``--db``); wins over everything.
    secrets_path : path-like
        Streamlit's secrets file; its ``[connections.register]`` section is
        read last.

    Raises
    ------
    InputError
        The secrets file is unreadable or its section names no database.
    """
    if explicit:
        return explicit
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV]
    try:
        with open(secrets_path, "rb") as handle:
            secrets = tomllib.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"cannot read {secrets_path}: {error}") from None
    section = secrets.get("connections", {}).get(CONNECTION_NAME)
    if section is None:
        return None
    if isinstance(section, dict) and section.get("url"):
        return str(section["url"])
    if isinstance(section, dict) and section.get("dialect"):
        # A register is configured, so the database layer is needed anyway.
        import sqlalchemy as sa

        driver = section["dialect"] + (f"+{section['driver']}" if section.get("driver") else "")
        url = sa.URL.create(
            driver,
            username=section.get("username"),
            password=section.get("password"),
            host=section.get("host"),
            port=section.get("port"),
            database=section.get("database"),
            query=section.get("query") or {},
        )
        return url.render_as_string(hide_password=False)
    raise InputError(
        f'{secrets_path}: [connections.{CONNECTION_NAME}] needs url = "..." (or dialect, host, database …)'
    )


def default_path() -> Path:
    """The embedded SQLite register: ``register.sqlite`` in the data folder (:func:`loaders.paths.data_root`)."""
    return data_root() / "register.sqlite"


def default_url() -> str:
    """The embedded SQLite register (:func:`default_path`), when no other is configured."""
    return f"sqlite:///{default_path()}"
