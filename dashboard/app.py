"""The #sicherimDienst coverage atlas, as ``sid-atlas serve`` runs it (:mod:`dashboard.serve`).

A bare ``streamlit run dashboard/app.py`` runs the pages without the server's
routes: no sign-in, and no ``/_sid/daten/``, so map and charts stay empty.

The entry point only: :mod:`dashboard.navigation` declares the pages (the
atlas, the register, the Erklärung zur Barrierefreiheit) and runs the one the
address names. The project's packages are imported as installed (``make
install`` installs the project editable), so nothing is put on ``sys.path``.
"""

from dashboard import navigation

navigation.run()
