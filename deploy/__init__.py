"""Deployment: two dashboard replicas behind nginx on one PostgreSQL register (see scaleout)."""
