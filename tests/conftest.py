import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    # Model methods and the checker translate with the active language: start every test in English.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    # Nothing a test leaves in the cache reaches the next (rate limits are in the database).
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def organiser(db):
    from tests import factories

    return factories.user(username="organiser-a")


@pytest.fixture
def other_organiser(db):
    from tests import factories

    return factories.user(username="organiser-b")
