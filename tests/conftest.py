import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_policy_cache() -> None:
    """Each test's database starts anew (and ids may repeat), so the per-process cache must too."""
    from calculator import cache

    cache._cache = (None, {})


@pytest.fixture
def reference_rows(db) -> None:
    """The reference data of fixtures/, loaded into this test's database."""
    call_command("load_reference", verbosity=0)


@pytest.fixture(scope="class")
def catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The reference data, loaded once for a class of tests and rolled back after it. Each test still
    runs in its own savepoint (the django_db mark), so a test may change entries without leaking."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """SQLite tests use a database file, as the site does, so that concurrent connections (threads, the
    live server) lock and wait as in production; an in-memory shared cache fails them at once instead."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
