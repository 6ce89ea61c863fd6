import pytest


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
    from calculator import policy

    policy._cache = (None, {})


@pytest.fixture
def reference_rows(db) -> None:
    """The reference data of fixtures/, loaded into this test's database."""
    from django.core.management import call_command

    call_command("load_reference", verbosity=0)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """SQLite tests use a database file, as the site does, so that concurrent connections (threads, the
    live server) lock and wait as in production; an in-memory shared cache fails them at once instead."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
