import pytest
from django.urls import resolve, reverse
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


@pytest.fixture
def report_file(client, django_capture_on_commit_callbacks):
    """Make a feedback report file as an organiser does: POST to its address (the filters in its query),
    then, from the job's page it leads to, download the file. Returns the download's response."""

    def make(address):
        with django_capture_on_commit_callbacks(execute=True):  # the job runs as the request's transaction commits
            started = client.post(address)
        assert started.status_code == 302, started.content[:300]
        job_page = resolve(started["Location"])
        assert job_page.url_name == "job"
        assert "Ready" in client.get(started["Location"]).content.decode()
        response = client.get(reverse("organise:job_download", kwargs=job_page.kwargs))
        assert response.status_code == 200
        return response

    return make
