"""Settings for every test: property-based tests explore at random here, and repeat the same cases in CI."""

from __future__ import annotations

import os

from hypothesis import settings

# In CI (CI=true), the same examples every run: a red build is then a real change, never a new draw.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("dev")
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# A throwaway PostgreSQL cluster (tests/postgres_cluster.py), for the tests that ask for `pg_url`.
from tests.postgres_cluster import pg_cluster, pg_url  # noqa: E402, F401
