"""The website channel: widget API, admin API and dashboard, served by FastAPI."""
