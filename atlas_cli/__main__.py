"""``python -m atlas_cli``: the ``sid-atlas`` command without its entry-point script."""

import sys

from atlas_cli import main

sys.exit(main())
