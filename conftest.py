"""What ``--doctest-modules`` must not import: the Streamlit scripts, which draw their page on import.

(Paths relative to this folder, whatever directory pytest is started from.)
"""

collect_ignore = [
    "dashboard/app.py",
    "dashboard/serve.py",
    "benchmarks/baseline_app.py",
    "benchmarks/germany_app.py",
]
collect_ignore_glob = ["dashboard/pages/*.py"]
