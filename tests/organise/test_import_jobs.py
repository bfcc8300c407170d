"""A large registration file is checked and imported by background jobs, with progress (issue 14's last point).

Over `IMPORT_IN_PAGE_MAX_ROWS` rows, the preview (the dry run) and "Apply" run as jobs
(`workshops.imports.jobs`); the organiser watches the job's page, then lands on the same preview, or
on the done page, as a smaller file gives at once. The threshold is lowered here to keep the files small.
"""

import io
import re
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from workshops.imports.resources import ParticipantResource
from workshops.imports.services import people_import
from workshops.models import ImportUpload, Job, Participant

pytestmark = pytest.mark.django_db

THRESHOLD = 5


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_IN_PAGE_MAX_ROWS = THRESHOLD


@pytest.fixture
def workshop(organiser):
    return f.workshop(organisers=[organiser])


def people(count: int, *, refused_every: int = 0) -> bytes:
    lines = ["Name,E-mail,Country,Languages"]
    lines += [
        f"Person {i},p{i}@example.org,{'Atlantis' if refused_every and i % refused_every == 0 else 'Chile'},en;es"
        for i in range(1, count + 1)
    ]
    return "\n".join(lines).encode()


def named(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def url(workshop, name, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def upload_token(client, workshop, content) -> str:
    response = client.post(url(workshop, "import"), {"file": named(content, "people.csv"), "kind": "auto"})
    assert response.status_code == 302, response.content.decode()[:600]
    return parse_qs(urlsplit(response["Location"]).query)["token"][0]


def follow_job(client, response, capture) -> tuple[Job, object]:
    """The job a response started (its page), and where its page sends the organiser once it is finished."""
    assert response.status_code == 302, response.content.decode()[:600]
    job = Job.objects.without_result().latest("pk")
    assert response["Location"] == url(job.workshop, "job", job_id=job.pk)
    job.refresh_from_db()
    return job, client.get(response["Location"])


def preview_via_job(client, workshop, token, capture):
    with capture(execute=True):  # the task runs once the request's transaction commits
        response = client.get(url(workshop, "import_preview"), {"token": token})
    job, page = follow_job(client, response, capture)
    assert job.kind == Job.Kind.IMPORT_PREVIEW and job.state == Job.State.DONE
    assert page.status_code == 302  # a finished check: to its preview
    landing = client.get(page["Location"])
    assert landing.status_code == 200
    return job, landing


def report_view(response):
    """What the preview shows, from its context: the same from the inline path and from a job."""
    report = response.context["report"]
    rows = [(r.line, r.status, r.name, r.email, list(map(list, r.details)), r.problems, r.changes) for r in report.rows]
    return {
        "rows": rows,
        "counts": report.counts,
        "valid": report.valid,
        "skipped": [(s.line, s.reason) for s in report.skipped],
        "encoding": report.encoding_label,
        "kind": (report.kind, report.kind_detected),
        "mapping_rows": response.context["mapping_rows"],
        "defaults_shown": response.context["defaults_shown"],
    }


# --- The preview ------------------------------------------------------------------------------


def test_a_large_files_preview_goes_through_a_job_and_lands_on_the_same_preview(
    client, organiser, workshop, settings, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    content = people(8, refused_every=4) + b"\nTotal,,,\n"  # 2 refused, a footer skipped
    token = upload_token(client, workshop, content)
    job, landing = preview_via_job(client, workshop, token, django_capture_on_commit_callbacks)
    assert (job.done, job.total) == (8, 8)
    page = landing.content.decode()
    assert "Import the 6 valid rows" in page and 'id="line-5"' in page
    assert "Unknown country “Atlantis”" in page and 'data-skipped-line="10"' in page
    assert Participant.objects.count() == 0

    settings.IMPORT_IN_PAGE_MAX_ROWS = 1000  # the same file, checked in the page
    inline = client.get(url(workshop, "import_preview"), {"token": token})
    assert inline.status_code == 200 and Job.objects.count() == 1
    assert report_view(landing) == report_view(inline)


def test_a_small_file_is_still_checked_in_the_page(client, organiser, workshop):
    client.force_login(organiser)
    token = upload_token(client, workshop, people(THRESHOLD))
    response = client.get(url(workshop, "import_preview"), {"token": token})
    assert response.status_code == 200 and "Apply" in response.content.decode()
    assert not Job.objects.exists()


def test_the_preview_job_is_made_in_the_organisers_language(
    client, organiser, workshop, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with translation.override("es"):  # the Spanish pages (/es/...)
        token = upload_token(client, workshop, people(8, refused_every=4))
        _job, landing = preview_via_job(client, workshop, token, django_capture_on_commit_callbacks)
    assert "País desconocido «Atlantis»" in landing.content.decode()
    # Read in another language, the report is made again in that one.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(landing.request["PATH_INFO"].removeprefix("/es"), parse_qs(landing.request["QUERY_STRING"]))
    assert again.status_code == 302 and again["Location"].startswith(url(workshop, "import_preview"))


def test_the_refused_rows_of_a_large_file_download_from_the_jobs_report_without_a_second_check(
    client, organiser, workshop, settings, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8, refused_every=4))
    settings.IMPORT_IN_PAGE_MAX_ROWS = 1000
    inline = client.get(url(workshop, "import_refused"), {"token": token})
    settings.IMPORT_IN_PAGE_MAX_ROWS = THRESHOLD
    job, landing = preview_via_job(client, workshop, token, django_capture_on_commit_callbacks)
    link = re.search(r'id="refused-download" href="([^"]+)"', landing.content.decode())[1].replace("&amp;", "&")
    assert f"job={job.pk}" in link

    def no_second_check(**kwargs):
        raise AssertionError("checked the file again")

    monkeypatch.setattr("organise.views.imports.people_import", no_second_check)
    download = client.get(link)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert download.content == inline.content and download.content.count(b",Atlantis,") == 2
    monkeypatch.undo()

    # After the valid rows are imported by a job, the done page's link reads that job's report.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(workshop, "import_apply"), {"token": token, "skip_refused": "1", "valid": "6"})
    apply_job, page = follow_job(client, response, django_capture_on_commit_callbacks)
    done = client.get(page["Location"]).content.decode()
    link = re.search(r'href="([^"]*import/refused[^"]+)"', done)[1].replace("&amp;", "&")
    assert f"job={apply_job.pk}" in link
    monkeypatch.setattr("organise.views.imports.people_import", no_second_check)
    assert client.get(link).content == inline.content


# --- Apply ------------------------------------------------------------------------------------


def test_apply_of_a_large_file_goes_through_a_job_and_lands_on_the_done_page(
    client, organiser, workshop, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8, refused_every=4))
    preview_via_job(client, workshop, token, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(workshop, "import_apply"), {"token": token, "skip_refused": "1", "valid": "6"})
    job, page = follow_job(client, response, django_capture_on_commit_callbacks)
    assert job.kind == Job.Kind.IMPORT_APPLY and (job.state, job.done, job.total) == (Job.State.DONE, 8, 8)
    assert page.status_code == 302 and page["Location"].startswith(url(workshop, "import_done"))
    done = client.get(page["Location"]).content.decode()
    assert "6 created" in done and "2 refused, not imported" in done
    assert Participant.objects.filter(workshop=workshop).count() == 6
    # Applied: the upload cannot be applied a second time.
    again = client.post(url(workshop, "import_apply"), {"token": token, "skip_refused": "1", "valid": "6"})
    assert again.status_code == 400 and Participant.objects.count() == 6


def test_apply_refused_by_a_job_returns_to_the_preview_saying_why(
    client, organiser, workshop, django_capture_on_commit_callbacks
):
    """All or nothing (the default) with a refused row, through the job: the preview, nothing written."""
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8, refused_every=4))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(workshop, "import_apply"), {"token": token, "skip_refused": "1", "valid": "7"})
    job, page = follow_job(client, response, django_capture_on_commit_callbacks)
    assert job.state == Job.State.DONE and page.status_code == 302
    landing = client.get(page["Location"])
    text = landing.content.decode()
    assert landing.status_code == 200 and 'id="import-error"' in text
    assert "The file now has 6 valid rows, not 7 as in the preview: nothing was imported." in text
    assert "Import the 6 valid rows" in text
    assert Participant.objects.count() == 0
    assert ImportUpload.objects.get().claimed_at is None  # free to apply again


def test_two_applies_of_the_same_upload_never_both_run(client, organiser, workshop, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(url(workshop, "import_apply"), {"token": token})
        second = client.post(url(workshop, "import_apply"), {"token": token})
    assert first.status_code == 302 and second.status_code == 400
    assert "already applied" in second.content.decode()
    assert Job.objects.filter(kind=Job.Kind.IMPORT_APPLY).count() == 1
    for callback in callbacks:
        callback()
    assert Participant.objects.count() == 8


def test_a_stale_upload_is_refused_by_the_apply_job(client, organiser, workshop, django_capture_on_commit_callbacks):
    """The file changed between "Apply" and the job's start: the job re-checks its SHA-256 and imports nothing."""
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url(workshop, "import_apply"), {"token": token})
    stored = ImportUpload.objects.get()
    ImportUpload.objects.update(content=bytes(stored.content).replace(b"Person 3", b"Persona 3"))
    for callback in callbacks:
        callback()
    job, page = follow_job(client, response, django_capture_on_commit_callbacks)
    assert job.state == Job.State.FAILED and page.status_code == 200
    text = page.content.decode()
    assert "This preview is not valid: upload the file again." in text
    assert url(workshop, "import") in text  # back to the upload
    assert Participant.objects.count() == 0


def test_a_failing_job_shows_its_reason_in_the_readers_language(
    client, organiser, workshop, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with translation.override("fr"):  # the French pages (/fr/...)
        token = upload_token(client, workshop, people(8))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.get(url(workshop, "import_preview"), {"token": token})
        ImportUpload.objects.update(created=timezone.now() - timedelta(hours=2))  # expired meanwhile
        for callback in callbacks:
            callback()
        job, page = follow_job(client, response, django_capture_on_commit_callbacks)
        status = client.get(url(workshop, "job_status", job_id=job.pk)).json()
    assert job.state == Job.State.FAILED
    text = page.content.decode()
    assert "Cet aperçu a expiré ou a déjà été appliqué" in text
    assert status["message"].startswith("Cet aperçu a expiré") and status["state"] == "failed"


# --- Progress ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["preview", "apply"])
def test_the_progress_status_advances_during_the_row_loop(organiser, settings, monkeypatch, step):
    """Counters written from the row loop of the dry run and of the apply, read as the status JSON meanwhile.

    The status is requested after each row, on a connection of its own (another app server), while
    the import's transaction is still open. On PostgreSQL the counters are written from a connection
    of their own, so they advance row by row. SQLite takes one writer at a time, held by the
    import's transaction: there a reader in the process that runs the job (the development server's
    case, and this test's) sees the counters the work keeps in memory until it can write them.
    """
    settings.IMPORT_IN_PAGE_MAX_ROWS = THRESHOLD
    monkeypatch.setattr("workshops.jobs.PROGRESS_WRITE_INTERVAL", 0)
    workshop = f.workshop(organisers=[organiser])
    client, watcher = Client(), Client()
    client.force_login(organiser)
    watcher.force_login(organiser)
    token = upload_token(client, workshop, people(8))
    seen = []
    original = ParticipantResource.import_row

    def read_status(job_id):
        try:
            seen.append(watcher.get(url(workshop, "job_status", job_id=job_id)).json())
        finally:
            connections.close_all()

    def import_row(self, row, instance_loader, **kwargs):
        result = original(self, row, instance_loader, **kwargs)
        reader = threading.Thread(target=read_status, args=(Job.objects.without_result().latest("pk").pk,))
        reader.start()
        reader.join(10)
        return result

    monkeypatch.setattr(ParticipantResource, "import_row", import_row)
    if step == "preview":
        response = client.get(url(workshop, "import_preview"), {"token": token})
    else:
        response = client.post(url(workshop, "import_apply"), {"token": token})
    assert response.status_code == 302
    statuses = [(s["state"], s["done"], s["total"]) for s in seen]
    assert statuses == [("running", i, 8) for i in range(1, 9)]
    assert seen[3]["progress_text"] == "4 of 8"
    final = watcher.get(url(workshop, "job_status", job_id=Job.objects.latest("pk").pk)).json()
    assert (final["state"], final["done"], final["total"], final["finished"]) == ("done", 8, 8, True)


def test_people_import_reports_each_row_of_the_dry_run_and_of_the_apply(workshop):
    class Calls(list):
        def __call__(self, done, total):
            self.append((done, total))

    for dry_run in (True, False):
        calls = Calls()
        people_import(workshop=workshop, content=people(4), dry_run=dry_run, on_progress=calls)
        assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert Participant.objects.count() == 4


def test_the_command_prints_progress_on_stderr_for_a_large_file(workshop, tmp_path, capsys, settings):
    settings.IMPORT_IN_PAGE_MAX_ROWS = 10
    path = tmp_path / "people.csv"
    path.write_bytes(people(40))
    call_command("import_people", workshop.slug, str(path))
    out, err = capsys.readouterr()
    assert "40 created" in out and "of 40" not in out
    lines = [line for line in err.splitlines() if "of 40" in line]
    assert lines[0] == "Checking the rows: 4 of 40 (10%)" and lines[-1] == "Checking the rows: 40 of 40 (100%)"
    assert len(lines) == 10
    path.write_bytes(people(10))  # not large: quiet
    call_command("import_people", workshop.slug, str(path))
    assert capsys.readouterr().err == ""


# --- Who may see a job, and what it costs -----------------------------------------------------


def test_another_organisers_import_job_is_not_theirs(
    client, organiser, other_organiser, workshop, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8))
    job, _landing = preview_via_job(client, workshop, token, django_capture_on_commit_callbacks)
    other = Client()
    other.force_login(other_organiser)
    theirs = f.workshop(organisers=[other_organiser])
    for name in ("job", "job_status", "job_download"):
        assert other.get(url(workshop, name, job_id=job.pk)).status_code in (403, 404)
        assert other.get(url(theirs, name, job_id=job.pk)).status_code == 404
    # Nor can they land on its preview from their workshop, with a token of their own.
    their_token = upload_token(other, theirs, people(8))
    landing = other.get(url(theirs, "import_preview"), {"token": their_token, "job": job.pk})
    assert landing.status_code == 404
    # The preview report is no file to download, even for its organiser.
    assert client.get(url(workshop, "job_download", job_id=job.pk)).status_code == 404


@pytest.mark.parametrize("page", ["job", "landing"])
def test_the_job_and_landing_pages_cost_the_same_queries_at_two_sizes(
    client, organiser, page, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    def count(size):
        workshop = f.workshop(organisers=[organiser])
        token = upload_token(client, workshop, people(size, refused_every=3))
        with django_capture_on_commit_callbacks(execute=page == "landing"):
            response = client.get(url(workshop, "import_preview"), {"token": token})
        job = Job.objects.without_result().latest("pk")
        if page == "landing":
            target = client.get(response["Location"])["Location"]
        with CaptureQueriesContext(connection) as ctx:
            if page == "job":  # queued: its progress page, which refreshes itself without JavaScript
                progress = client.get(response["Location"])
                assert progress.status_code == 200
                assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in progress.content.decode()
            else:
                landing = client.get(target)
                assert landing.status_code == 200 and landing.context["report"].counts["refused"] == size // 3
        assert job.total in (0, size)
        return len(ctx.captured_queries)

    assert count(6) == count(90)


def test_opening_a_large_files_preview_again_reuses_its_check(
    client, organiser, workshop, django_capture_on_commit_callbacks
):
    """Back from the job's page, a reload, a prefetch: each GET of the preview started another check of
    thousands of rows. The same upload with the same choices, in the same language, has one."""
    client.force_login(organiser)
    token = upload_token(client, workshop, people(8))
    first = client.get(url(workshop, "import_preview"), {"token": token})  # queued, not run yet
    again = client.get(url(workshop, "import_preview"), {"token": token})
    assert first["Location"] == again["Location"]
    assert Job.objects.filter(kind=Job.Kind.IMPORT_PREVIEW).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url(workshop, "import_preview"), {"token": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert Job.objects.filter(kind=Job.Kind.IMPORT_PREVIEW).count() == 1
