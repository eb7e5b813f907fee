"""The Streamlit dashboard of the #sicherimDienst atlas (German UI, English code).

It draws; it reads nothing from files itself — everything comes from ``loaders``.
"""
