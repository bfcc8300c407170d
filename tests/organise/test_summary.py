"""The summary for funders: its figures against hand-counted data, small organisations pooled, PDF and Excel read back."""

import io
import zipfile
from datetime import timedelta

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organise.summary import funders_summary
from tests import factories as f
from worksheets.evaluation import evaluation_questions_create_defaults, evaluation_submit
from workshops.enums import AttendanceSource
from workshops.models import Attendance, Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(organiser):
    """Hand-counted: 7 participants; 4 women, 2 men, 1 not stated; 4 Europe (3 CH, 1 FR), 3 Americas (MX);
    organisations: 3 at IOM, 2 at a ministry, 1 at an NGO, 1 none. Two groups (A: 4, B: 3), two sessions."""
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration", venue="Geneva")
    f.language_mode(workshop, languages=("en", "es", "fr"))
    f.language_mode(workshop, languages=("en",))
    a, b = f.group(workshop, name="A"), f.group(workshop, name="B")
    morning = f.session(workshop, start_hour=11, title="Migration and Labour")
    afternoon = f.session(workshop, start_hour=15, title="Counter-Trafficking")
    rows = [  # gender, region, country, organisation, group
        ("female", "europe", "CH", "IOM", a),
        ("female", "europe", "CH", "IOM", a),
        ("male", "europe", "CH", "IOM", a),
        ("female", "europe", "FR", "Ministry of Labour", a),
        ("female", "americas", "MX", "Ministry of Labour", b),
        ("male", "americas", "MX", "Small NGO", b),
        ("", "americas", "MX", "", b),
    ]
    people = [
        f.participant(workshop, gender=g, region=r, country=c, organisation=o, group=grp) for g, r, c, o, grp in rows
    ]
    # Morning: A all present but one late; B: present, absent, not recorded.
    marks = [
        (morning, people[0], "present"),
        (morning, people[1], "present"),
        (morning, people[2], "late"),
        (morning, people[3], "present"),
        (morning, people[4], "present"),
        (morning, people[5], "absent"),
        # afternoon: A: present, left early, absent, not recorded; B: all present
        (afternoon, people[0], "present"),
        (afternoon, people[1], "left_early"),
        (afternoon, people[2], "absent"),
        (afternoon, people[4], "present"),
        (afternoon, people[5], "present"),
        (afternoon, people[6], "present"),
    ]
    for session, person, status in marks:
        Attendance.objects.create(
            session=session, participant=person, group=person.group, status=status, source=AttendanceSource.ROSTER
        )
    Certificate.objects.create(participant=people[0])
    Certificate.objects.create(participant=people[1], revoked_at="2030-10-01T10:00Z")
    return {"workshop": workshop, "people": people}


def counts(lines):
    return [(line.label, line.count) for line in lines]


def test_summary_figures_match_the_hand_count(settings, event):
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 2
    summary = funders_summary(workshop=event["workshop"])
    assert summary.participants == 7
    assert counts(summary.by_sex) == [("Female", 4), ("Male", 2), ("Not stated", 1)]
    assert counts(summary.by_region) == [("Americas", 3), ("Europe", 4)]
    assert counts(summary.by_country) == [("Mexico", 3), ("Switzerland", 3), ("France", 1)]
    # With a threshold of 2, the NGO's one participant is pooled, not named.
    assert counts(summary.by_organisation) == [
        ("IOM", 3),
        ("Ministry of Labour", 2),
        ("Other organisations (1, each with fewer than 2 participants)", 1),
        ("No organisation given", 1),
    ]
    assert summary.languages == "English, Spanish, French"
    table = [(line.session, line.group, line.values()) for line in summary.attendance]
    # present, late, left early, absent, not recorded
    assert table == [
        ("Migration and Labour", "A", [3, 1, 0, 0, 0]),
        ("Migration and Labour", "B", [1, 0, 0, 1, 1]),
        ("Migration and Labour", "", [4, 1, 0, 1, 1]),
        ("Counter-Trafficking", "A", [1, 0, 1, 1, 1]),
        ("Counter-Trafficking", "B", [3, 0, 0, 0, 0]),
        ("Counter-Trafficking", "", [4, 0, 1, 1, 1]),
    ]
    assert (summary.certificates_issued, summary.certificates_revoked) == (2, 1)


def test_small_organisations_are_pooled_at_the_default_threshold(event):
    summary = funders_summary(workshop=event["workshop"])  # threshold 3
    assert counts(summary.by_organisation) == [
        ("IOM", 3),
        ("Other organisations (2, each with fewer than 3 participants)", 3),
        ("No organisation given", 1),
    ]
    assert "Small NGO" not in str(summary.by_organisation)


def test_summary_page_shows_the_figures_and_the_evaluation(client, organiser, event):
    client.force_login(organiser)
    html = client.get(reverse("organise:summary", kwargs={"slug": event["workshop"].slug})).content.decode()
    assert "Participants: 7" in html
    assert "Languages of the workshop: English, Spanish, French" in html
    assert "Certificates issued: 2 (of which revoked: 1)." in html
    assert "Small NGO" not in html
    assert "Participants’ evaluation" in html


def _evaluated(event) -> dict:
    """Hand-counted: group A's four rate the morning's relevance 5, 4, 4, 3 (mean 4.00, shown); group B's
    one answer (under the threshold of 3) is withheld everywhere."""
    workshop = event["workshop"]
    morning = workshop.sessions.order_by("start").first()
    questions = evaluation_questions_create_defaults(workshop=workshop)
    relevance = next(q for q in questions if q.scope == "session" and q.topic == "relevance")
    people = list(workshop.participants.order_by("pk"))
    after = morning.end + timedelta(hours=1)
    for person, rating in [(people[0], 5), (people[1], 4), (people[2], 4), (people[3], 3), (people[4], 1)]:
        evaluation_submit(
            participant=person, session=morning, values={relevance.pk: str(rating)}, base_revision=0, now=after
        )
    return {"question": relevance}


def test_summary_shows_the_evaluation_hand_counted_on_the_page_and_in_both_files(client, organiser, event, settings):
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 3
    relevance = _evaluated(event)["question"]
    client.force_login(organiser)
    slug = event["workshop"].slug
    html = client.get(reverse("organise:summary", kwargs={"slug": slug})).content.decode()
    assert "4.00" in html or "4,00" in html or "4.0" in html

    pdf = client.get(reverse("organise:summary_pdf", kwargs={"slug": slug})).content
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Participants’ evaluation" in text and "4.00" in text
    assert "Answers of groups too small to show" in text

    workbook = load_workbook(io.BytesIO(client.get(reverse("organise:summary_xlsx", kwargs={"slug": slug})).content))
    rows = [list(row) for row in workbook["Evaluation"].iter_rows(values_only=True)]
    assert ["Migration and Labour", relevance.text, 4, "4.00", "1: 0  2: 0  3: 1  4: 2  5: 1"] in rows
    assert ["Migration and Labour", "Answers of groups too small to show", 1, None, None] in rows or [
        "Migration and Labour",
        "Answers of groups too small to show",
        1,
        "",
        "",
    ] in rows


def test_summary_page_in_the_organisers_language(client, organiser, event):
    client.force_login(organiser)
    html = client.get("/es" + reverse("organise:summary", kwargs={"slug": event["workshop"].slug})).content.decode()
    assert "Resumen para los financiadores" in html and "Idiomas del taller: inglés, español, francés" in html
    assert "Asistencia por sesión y grupo" in html and "Sin registrar" in html


def test_summary_pdf_reads_back(client, organiser, event):
    client.force_login(organiser)
    response = client.get(reverse("organise:summary_pdf", kwargs={"slug": event["workshop"].slug}))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Summary for funders", "Developing Capacity to Manage Migration", "Participants: 7", "IOM"):
        assert expected in text
    assert "Small NGO" not in text
    assert "Counter-Trafficking" in text and "Certificates issued" in text


def test_summary_xlsx_reads_back(client, organiser, event):
    client.force_login(organiser)
    response = client.get(reverse("organise:summary_xlsx", kwargs={"slug": event["workshop"].slug}))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Participants",
        "Attendance",
        "Evaluation",
        "Comments",
        "Knowledge check",
        "Certificates",
    ]
    attendance = [list(row) for row in workbook["Attendance"].iter_rows(values_only=True)]
    assert attendance[0] == ["Session", "Group", "Present", "Late", "Left early", "Absent", "Not recorded"]
    assert attendance[1] == ["Migration and Labour", "A", 3, 1, 0, 0, 0]
    assert attendance[3] == ["Migration and Labour", "All groups", 4, 1, 0, 1, 1]
    participants = [list(row) for row in workbook["Participants"].iter_rows(values_only=True)]
    assert ["By sex", "Female", 4] in participants and ["By country", "Mexico", 3] in participants
    assert not any("Small NGO" in str(row) for row in participants)
    certificates = [list(row) for row in workbook["Certificates"].iter_rows(values_only=True)]
    assert certificates[1:] == [["Certificates issued", 2], ["of which revoked", 1]]
    assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_summary_shows_the_evaluations_session_times_on_the_workshops_clock(client, organiser, event, settings):
    """A Tokyo workshop's morning session (11:00 in Zurich's summer = 18:00 in Tokyo) reads 18:00, not the server's 11:00."""
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 3
    workshop = event["workshop"]
    workshop.timezone = "Asia/Tokyo"
    workshop.save(update_fields=["timezone"])
    _evaluated(event)
    client.force_login(organiser)
    html = client.get(reverse("organise:summary", kwargs={"slug": workshop.slug})).content.decode()
    section = html[html.index("Participants’ evaluation") :]
    assert "18:00" in section and "11:00" not in section
