"""The #sicherimDienst coverage atlas: ``streamlit run dashboard/app.py`` (``sid-atlas serve`` runs it too).

The entry point only: :mod:`dashboard.navigation` declares the pages (the
atlas, the register, the Erklärung zur Barrierefreiheit) and runs the one the
address names. The project's packages are imported as installed (``make
install`` installs the project editable), so nothing is put on ``sys.path``.
"""

from dashboard import navigation

navigation.run()
