"""The PostgreSQL server the tests use: $PLANNER315_TEST_DATABASE_URL (.ci/run starts a
throw-away cluster and sets it). Without it the PostgreSQL tests are skipped, saying why;
with $PLANNER315_TEST_POSTGRES_REQUIRED set (CI), a missing server fails them instead."""

from __future__ import annotations

import os

import pytest

URL_ENV = "PLANNER315_TEST_DATABASE_URL"
REQUIRED_ENV = "PLANNER315_TEST_POSTGRES_REQUIRED"


def server_url() -> str:
    """The test server's URL, or skip (fail, where required) the test that asks."""
    url = os.environ.get(URL_ENV, "").strip()
    problem = None if url else f"no PostgreSQL server for the tests: set {URL_ENV}"
    if url:
        try:
            import psycopg

            psycopg.connect(url, connect_timeout=5).close()
        except ImportError:
            problem = "psycopg is not installed (pip install -e '.[postgres,test]')"
        except psycopg.Error as err:
            problem = f"the PostgreSQL server at {URL_ENV} does not answer: {err}"
    if problem is None:
        return url
    if os.environ.get(REQUIRED_ENV):
        pytest.fail(problem)
    pytest.skip(problem)


def empty_database() -> str:
    """The test server's URL, its database emptied of every shop and of the registry."""
    import psycopg

    url = server_url()
    with psycopg.connect(url, autocommit=True) as db:
        schemas = [row[0] for row in db.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'shop\\_%' "
            "OR nspname = 'planner315'")]
        for schema in schemas:
            db.execute(f"DROP SCHEMA {schema} CASCADE")
    return url
