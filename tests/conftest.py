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
