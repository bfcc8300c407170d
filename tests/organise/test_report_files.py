"""The feedback report's files made by a background job: started by a POST, with progress, downloaded from the job's page.

The files hold exactly what the report holds (`worksheets.report.feedback_report`, which the page
reads): the same answers, names and withheld slices, in the same order. A GET of a file's address
starts nothing. Made in one pass over one streamed query, with a fixed number of queries.
"""

import csv
import io
import zoneinfo
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories as f
from worksheets.enums import QuestionKind, Sharing
from worksheets.report import ReportFilters, feedback_report
from worksheets.report_files import ReportRows, report_file_build
from workshops.enums import Region
from workshops.jobs import JobProgress
from workshops.models import Job

pytestmark = pytest.mark.django_db

REGIONS = [Region.EUROPE, Region.AMERICAS]


@pytest.fixture
def world(organiser, settings):
    """Three groups in two language modes, people of three regions sharing every way, so that some slices
    have enough anonymous sharers (3) and some do not; a session question; text and scale answers."""
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 3
    workshop = f.workshop(organisers=[organiser])
    tri = f.language_mode(workshop, name="Tri-lingual")
    english = f.language_mode(workshop, languages=("en",), name="English only")
    groups = [
        f.group(workshop, name=name, room_obj=f.room(workshop, name=f"Room {name}", mode=mode))
        for name, mode in (("A", tri), ("B", tri), ("C", english))
    ]
    morning = f.session(workshop, title="Migration and Labour", start_hour=9)
    afternoon = f.session(workshop, title="Counter-Trafficking", start_hour=15)
    substance = f.question(workshop, text="Response in substance", order=1)
    useful = f.question(workshop, text="How useful was it?", order=2, kind=QuestionKind.SCALE)
    victims = f.question(workshop, text="Who protects victims?", order=3, session=afternoon)
    sharing = [Sharing.ANONYMOUS, Sharing.NAMED, Sharing.PRIVATE, Sharing.ANONYMOUS, Sharing.ANONYMOUS]
    for index in range(45):
        # Two people of group A alone in their region: a slice of 2 anonymous sharers, withheld.
        region = Region.AFRICA_MIDDLE_EAST if index in (0, 3) else REGIONS[(index // 3) % 2]
        person = f.participant(workshop, name=f"Person {index:02}", group=groups[index % 3], region=region)
        for session in (morning, afternoon):
            worksheet = f.worksheet(person, session, sharing=sharing[index % 5])
            f.answer(worksheet, substance, text="" if index % 11 == 0 else f"Thoughts {index} on {session.title}")
            f.answer(worksheet, useful, scale=1 + index % 5)
            if session == afternoon and index % 2:
                f.answer(worksheet, victims, text=f"Victims {index}")
    return {"workshop": workshop, "groups": groups, "tri": tri, "afternoon": afternoon, "substance": substance}


def address(workshop, name, query=""):
    return reverse(f"organise:{name}", args=[workshop.slug]) + (f"?{query}" if query else "")


def expected_rows(report) -> list[list[str]]:
    """The report the page reads, as the answers' rows of its files (what the old in-request CSV wrote)."""
    rows = []
    for item in report.sessions:
        start = timezone.localtime(item.session.start, zoneinfo.ZoneInfo(report.workshop.timezone)).strftime(
            "%Y-%m-%d %H:%M"
        )
        for question in item.questions:
            for e in question.entries:
                answer = str(e.scale) if question.is_scale else e.text
                author = e.author or "anonymous"
                rows.append(
                    [
                        item.session.title,
                        start,
                        question.question.text,
                        e.group,
                        e.language_mode,
                        e.region,
                        author,
                        answer,
                    ]
                )
    return rows


def expected_scales(report) -> list[list]:
    return [
        [item.session.title, q.question.text, *[bar.count for bar in q.bars], len(q.scale_values), q.mean]
        for item in report.sessions
        for q in item.questions
        if q.is_scale
    ]


QUERIES = ["", "group={A}", "language_mode={tri}", "region=europe", "region=americas&group={B}", "session={afternoon}"]


def _query(world, query):
    return query.format(
        A=world["groups"][0].pk, B=world["groups"][1].pk, tri=world["tri"].pk, afternoon=world["afternoon"].pk
    )


def _filters(world, query) -> ReportFilters:
    values = dict(pair.split("=") for pair in _query(world, query).split("&") if pair)
    return ReportFilters(
        group_id=int(values["group"]) if "group" in values else None,
        language_mode_id=int(values["language_mode"]) if "language_mode" in values else None,
        region=values.get("region", ""),
        session_id=int(values["session"]) if "session" in values else None,
    )


@pytest.mark.parametrize("query", QUERIES)
def test_report_csv_job_holds_exactly_what_the_report_shows(client, organiser, world, report_file, query):
    client.force_login(organiser)
    response = report_file(address(world["workshop"], "report_csv", _query(world, query)))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{world["workshop"].slug}-feedback.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    report = feedback_report(workshop=world["workshop"], filters=_filters(world, query))
    assert rows[1:] == expected_rows(report)
    assert report.answer_count > 0 or query == "region=americas&group={B}"


@pytest.mark.parametrize("query", QUERIES)
def test_report_xlsx_job_holds_exactly_what_the_report_shows(client, organiser, world, report_file, query):
    client.force_login(organiser)
    response = report_file(address(world["workshop"], "report_xlsx", _query(world, query)))
    assert response["Content-Disposition"] == f'attachment; filename="{world["workshop"].slug}-feedback.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    report = feedback_report(workshop=world["workshop"], filters=_filters(world, query))
    answers = [
        [value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value) for value in row]
        for row in workbook["Answers"].iter_rows(min_row=2, values_only=True)
    ]
    assert answers == expected_rows(report)
    scales = [list(row) for row in workbook["Scales"].iter_rows(min_row=2, values_only=True)]
    assert scales == expected_scales(report)


def test_report_file_withholds_small_slices_as_the_report_does(world):
    """The world has slices of 1 and 2 anonymous sharers: withheld from the file as from the report, others shown."""
    everything = ReportRows(workshop=world["workshop"], filters=ReportFilters())
    assert everything.withheld  # some slices are too small
    rows = list(everything.answers())
    authors = {row[6] for row in rows}
    assert "anonymous" in authors and "Person 01" in authors
    assert len(rows) == feedback_report(workshop=world["workshop"]).answer_count < everything.total


def test_report_file_get_starts_nothing_and_shows_the_button(client, organiser, world):
    client.force_login(organiser)
    query = f"group={world['groups'][0].pk}"
    response = client.get(address(world["workshop"], "report_xlsx", query))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<form method="post" action="{address(world["workshop"], "report_xlsx", query)}"' in page
    assert "Group A" in page and "Feedback report (Excel)" in page
    assert not Job.objects.exists()


def test_report_file_progress_advances_to_every_answer_read(world, monkeypatch):
    from worksheets import report_files

    monkeypatch.setattr(report_files, "PROGRESS_EVERY", 10)
    job = Job.objects.create(workshop=world["workshop"], kind=Job.Kind.REPORT_CSV, state=Job.State.RUNNING)
    seen = []

    class Recording(JobProgress):
        def __call__(self, done, total=None):
            super().__call__(done, total)
            seen.append((self.job.done, self.job.total))

    result = report_file_build(job, Recording(job))
    total = ReportRows(workshop=world["workshop"], filters=ReportFilters()).total
    assert total > 100
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert len(seen) > total // 10  # reported as it goes, not only at the end
    assert result.content.count(b"\n") == 1 + feedback_report(workshop=world["workshop"]).answer_count


def test_report_file_job_of_another_workshop_is_refused(client, organiser, other_organiser, world):
    theirs = f.workshop(organisers=[other_organiser])
    client.force_login(other_organiser)
    for name in ("report_csv", "report_xlsx"):
        assert client.post(address(world["workshop"], name)).status_code == 404
        assert client.get(address(world["workshop"], name)).status_code == 404
    assert not Job.objects.exists()
    mine = Job.objects.create(workshop=world["workshop"], kind=Job.Kind.REPORT_CSV, state=Job.State.DONE, result=b"x")
    for name in ("job", "job_status", "job_download"):
        assert client.get(reverse(f"organise:{name}", args=[world["workshop"].slug, mine.pk])).status_code == 404
        assert client.get(reverse(f"organise:{name}", args=[theirs.slug, mine.pk])).status_code == 404
    assert b"Recent files" not in client.get(address(theirs, "report")).content


def test_report_file_download_after_expiry_is_refused_in_words(client, organiser, world, report_file):
    client.force_login(organiser)
    report_file(address(world["workshop"], "report_csv"))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    download_path = reverse("organise:job_download", args=[world["workshop"].slug, job.pk])
    download = client.get(download_path)
    assert download.status_code == 410
    assert "This file is no longer kept." in download.content.decode()
    assert download["Content-Type"].startswith("text/html")
    page = client.get(reverse("organise:job", args=[world["workshop"].slug, job.pk])).content.decode()
    assert "This file is no longer kept." in page
    assert download_path not in page
    assert "Este archivo ya no se conserva." in client.get("/es" + download_path).content.decode()
    assert "Ce fichier n’est plus conservé." in client.get("/fr" + download_path).content.decode()


def test_report_page_lists_the_recent_report_files(client, organiser, world, report_file):
    client.force_login(organiser)
    report_file(address(world["workshop"], "report_xlsx"))
    Job.objects.create(workshop=world["workshop"], kind=Job.Kind.BADGES, state=Job.State.DONE)
    job = Job.objects.get(kind=Job.Kind.REPORT_XLSX)
    page = client.get(address(world["workshop"], "report")).content.decode()
    assert "Recent files" in page
    assert f'href="{reverse("organise:job", args=[world["workshop"].slug, job.pk])}"' in page
    assert page.count("Participant badges (PDF)") == 0
    job_page = client.get(reverse("organise:job", args=[world["workshop"].slug, job.pk])).content.decode()
    assert "Back to the feedback report" in job_page


def test_report_file_whose_filter_was_deleted_fails_in_words(
    client, organiser, world, django_capture_on_commit_callbacks
):
    group = world["groups"][2]
    client.force_login(organiser)
    job = Job.objects.create(
        workshop=world["workshop"],
        kind=Job.Kind.REPORT_CSV,
        params={"filters": {"group": group.pk, "language_mode": None, "region": "", "session": None}},
    )
    group.delete()
    from worksheets.report_files import report_file_task

    report_file_task.call(job_id=job.pk)
    page = client.get(reverse("organise:job", args=[world["workshop"].slug, job.pk])).content.decode()
    assert "This could not be made." in page
    assert "A group, language mode or session this file was filtered by no longer exists" in page


def test_report_file_in_spanish_and_french(client, organiser, world, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    headers = {}
    xlsx_address, csv_address = address(world["workshop"], "report_xlsx"), address(world["workshop"], "report_csv")
    for language in ("es", "fr"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/{language}" + xlsx_address).status_code == 302
        job = Job.objects.latest("pk")
        content = client.get(f"/{language}/organise/{world['workshop'].slug}/jobs/{job.pk}/download/").content
        workbook = load_workbook(io.BytesIO(content))
        headers[language] = (workbook.sheetnames, next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True)))
        page = client.get(f"/{language}" + csv_address).content.decode()
        headers[language + " page"] = page
    assert headers["es"] == (
        ["Respuestas", "Escalas"],
        ("Sesión", "Inicio", "Pregunta", "Grupo", "Modalidad lingüística", "Región", "Participante", "Respuesta"),
    )
    assert headers["fr"][0] == ["Réponses", "Échelles"]
    assert "Preparar el archivo" in headers["es page"] and "Préparer le fichier" in headers["fr page"]


@pytest.mark.parametrize("kind", [Job.Kind.REPORT_CSV, Job.Kind.REPORT_XLSX])
def test_report_file_queries_constant(organiser, kind):
    counts = []
    for people, groups, sessions in ((3, 1, 1), (40, 5, 3)):
        workshop = f.populated_workshop(participants=people, groups=groups, sessions=sessions, organisers=[organiser])
        scale = f.question(workshop, kind=QuestionKind.SCALE)
        for index, worksheet in enumerate(workshop.participants.first().worksheets.all()):
            worksheet.sharing = Sharing.NAMED
            worksheet.save()
            f.answer(worksheet, scale, scale=1 + index % 5)
        job = Job.objects.create(workshop=workshop, kind=kind, state=Job.State.RUNNING)
        with CaptureQueriesContext(connection) as ctx:
            report_file_build(job, JobProgress(job))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_report_xlsx_with_a_control_character_in_an_answer_is_made(client, organiser, world, report_file):
    """A pasted vertical tab used to fail the whole Excel file (openpyxl refuses it); it is left out of that cell."""
    person = f.participant(world["workshop"], name="Pasting Person", group=world["groups"][0])
    worksheet = f.worksheet(person, world["afternoon"], sharing=Sharing.NAMED)
    f.answer(worksheet, world["substance"], text="Pasted\x0b from a PDF")
    client.force_login(organiser)
    sheet = load_workbook(io.BytesIO(report_file(address(world["workshop"], "report_xlsx")).content))["Answers"]
    assert [row[7] for row in sheet.iter_rows(values_only=True) if row[6] == "Pasting Person"] == ["Pasted from a PDF"]
    rows = list(
        csv.reader(io.StringIO(report_file(address(world["workshop"], "report_csv")).content.decode("utf-8-sig")))
    )
    assert [row[7] for row in rows if row[6] == "Pasting Person"] == ["Pasted\x0b from a PDF"]  # CSV holds it as typed


def test_report_file_is_made_again_when_someone_stops_sharing_meanwhile(world, monkeypatch):
    """Each slice is counted, then the answers read: if sharers leave a shown slice in between, leaving it
    with fewer than 3, the file is made again from what is true then (never a slice of 2 shown)."""
    from worksheets import report_files
    from worksheets.models import Worksheet

    slice_sheets = Worksheet.objects.filter(
        session=world["afternoon"],
        sharing=Sharing.ANONYMOUS,
        participant__group=world["groups"][1],
        participant__region=Region.EUROPE,
    ).order_by("pk")
    assert slice_sheets.count() >= 3  # shown when counted
    counted = report_files.ReportRows.__init__
    reads = []

    def counted_then_changed(self, **kwargs):
        counted(self, **kwargs)
        reads.append(self)
        if len(reads) == 1:
            Worksheet.objects.filter(pk__in=[w.pk for w in slice_sheets[2:]]).update(sharing=Sharing.PRIVATE)

    monkeypatch.setattr(report_files.ReportRows, "__init__", counted_then_changed)
    job = Job.objects.create(workshop=world["workshop"], kind=Job.Kind.REPORT_CSV, state=Job.State.RUNNING)
    result = report_file_build(job, JobProgress(job))
    assert len(reads) == 2
    rows = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))
    assert rows[1:] == expected_rows(feedback_report(workshop=world["workshop"]))
    afternoon = [row for row in rows if row[0] == "Counter-Trafficking"]
    assert not [row for row in afternoon if row[3] == "B" and row[5] == "Europe" and row[6] == "anonymous"]
