"""``python -m atlas_cli``: the ``sid-atlas`` command without its entry-point script."""

from atlas_cli import run

run()
