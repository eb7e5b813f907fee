"""What ``--doctest-modules`` must not import: the Streamlit scripts, which draw their page on import.

(The dashboard's pages — ``atlas.py``, ``register_page.py``, ``barrierefreiheit.py`` — draw only when
run as a page, so their doctests are collected; ``app.py`` runs the navigation on import.)

(Paths relative to this folder, whatever directory pytest is started from.)
"""

collect_ignore = [
    "dashboard/app.py",
    "dashboard/serve.py",
    "benchmarks/baseline_app.py",
    "benchmarks/germany_app.py",
    "benchmarks/map_app.py",  # draws the map component on import (registered only inside a running server)
    "benchmarks/served_app.py",  # needs SID_BENCH_SCRIPT: the app it serves
]
