"""A "never shared" question (the default "Personal notes"): its answers stay on the participant's own
pages and PDF even when the worksheet is shared by name. Every path where a shared worksheet goes:
the facilitator's group page, the feedback report (page, CSV, Excel), the worksheet's admin page, the
erasure's review. The organisers' backup keeps them, still marked (it is their full restorable copy,
private worksheets included)."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from organise.backup import _checksum, workshop_backup_json, workshop_restore
from organise.copy import workshop_copy
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import Answer, Question
from worksheets.services import questions_create_defaults
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db

SECRET = "My own doubts about my ministry"


@pytest.fixture(autouse=True)
def one_anonymous_sharer_is_shown(settings):
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    group = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    session = f.session(workshop, title="Counter-Trafficking")
    questions = questions_create_defaults(workshop=workshop)
    notes = next(q for q in questions if q.text_en == "Personal notes")
    substance = questions[0]
    facilitator = f.facilitator(workshop, name="Hélène")
    f.assignment(facilitator, session, group)
    named = f.participant(workshop, name="Nadia Named", group=group)
    anonymous = f.participant(workshop, name="Alex Anonymous", group=group)
    for person, sharing in ((named, Sharing.NAMED), (anonymous, Sharing.ANONYMOUS)):
        worksheet = f.worksheet(person, session, sharing=sharing)
        f.answer(worksheet, substance, text=f"Shared insight of {person.name}")
        f.answer(worksheet, notes, text=f"{SECRET} ({person.name})")
    return {
        "workshop": workshop,
        "session": session,
        "notes": notes,
        "substance": substance,
        "facilitator": facilitator,
        "named": named,
        "worksheet": named.worksheets.get(),
    }


def test_the_default_personal_notes_are_never_shared_and_the_others_are(world):
    assert [q.text_en for q in Question.objects.filter(workshop=world["workshop"], never_shared=True)] == [
        "Personal notes"
    ]
    assert Question.objects.filter(workshop=world["workshop"], never_shared=False).count() == 5


def test_the_facilitators_group_page_shows_shared_answers_but_never_personal_notes(client, world):
    assert client.get(personal_link_path(person=world["facilitator"])).status_code == 302
    page = client.get(reverse("worksheets:assignment", args=[world["session"].pk])).content.decode()
    assert "Shared insight of Nadia Named" in page and "Shared insight of Alex Anonymous" in page
    assert SECRET not in page
    # The question is in the list of what participants answer, marked: no answer to it will show.
    assert 'Personal notes <span class="badge text-bg-info">Never shared</span>' in page


def test_the_report_page_and_its_files_leave_personal_notes_out(client, organiser, world, report_file):
    client.force_login(organiser)
    slug = world["workshop"].slug
    page = client.get(reverse("organise:report", args=[slug])).content.decode()
    assert "Shared insight of Nadia Named" in page
    assert SECRET not in page and "Personal notes" not in page

    content = report_file(reverse("organise:report_csv", args=[slug])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert any("Shared insight of Nadia Named" in row for row in rows)
    assert SECRET not in content and "Personal notes" not in content

    workbook = load_workbook(io.BytesIO(report_file(reverse("organise:report_xlsx", args=[slug])).content))
    cells = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert any("Shared insight of Nadia Named" in cell for cell in cells)
    assert not any(SECRET in cell or "Personal notes" in cell for cell in cells)


def test_the_worksheets_admin_page_shows_a_named_worksheet_without_its_personal_notes(client, organiser, world):
    client.force_login(organiser)
    page = client.get(reverse("admin:worksheets_worksheet_change", args=[world["worksheet"].pk])).content.decode()
    assert "Shared insight of Nadia Named" in page
    assert SECRET not in page


def test_the_participant_reads_beside_the_field_that_it_is_never_shared_and_keeps_it_in_the_pdf(client, world):
    assert client.get(personal_link_path(person=world["named"])).status_code == 302
    page = client.get(reverse("worksheets:worksheet", args=[world["session"].pk])).content.decode()
    notes = world["notes"]
    assert f'id="never-shared-{notes.pk}"' in page
    assert "Never shared, even when you share this worksheet: for you alone." in page
    assert page.count("Never shared, even when you share this worksheet") == 1  # beside that field only
    assert f'aria-describedby="help-{notes.pk} never-shared-{notes.pk}"' in page
    assert SECRET in page  # their own text, on their own page

    pdf = client.get(reverse("worksheets:download")).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert SECRET in text


def test_the_questions_page_marks_the_question_never_shared_and_lets_the_organiser_choose(client, organiser, world):
    client.force_login(organiser)
    url = reverse("organise:questions", args=[world["workshop"].slug])
    page = client.get(url).content.decode()
    assert page.count('<span class="badge text-bg-info">Never shared</span>') == 1
    notes = world["notes"]
    forms = list(Question.objects.filter(workshop=world["workshop"]).order_by("order", "pk"))
    index = forms.index(notes)
    assert f'name="form-{index}-never_shared"' in page


def test_the_erasure_review_hides_others_personal_notes(client, organiser, world):
    # Nadia's personal notes mention Alex: the organiser reviewing Alex's erasure does not read them.
    answer = Answer.objects.get(worksheet=world["worksheet"], question=world["notes"])
    answer.text = "Alex Anonymous told me about their ministry"
    answer.save()
    alex = world["workshop"].participants.get(name="Alex Anonymous")
    client.force_login(organiser)
    data = {"action": "erase_personal_data", "_selected_action": [alex.pk]}
    page = client.post(reverse("admin:workshops_participant_changelist"), data).content.decode()
    assert "Erase" in page
    assert "told me about their ministry" not in page


def test_the_backup_keeps_personal_notes_and_their_mark(world):
    text = workshop_backup_json(workshop=world["workshop"])
    workshop_restore(text=text, slug="restored")
    notes = Question.objects.get(workshop__slug="restored", text_en="Personal notes")
    assert notes.never_shared
    assert Answer.objects.filter(question=notes, text__startswith=SECRET).count() == 2


def test_a_copied_workshop_keeps_the_mark(world):
    copy = workshop_copy(
        source=world["workshop"],
        slug="next-year",
        start_date=world["workshop"].start_date,
        by=get_user_model().objects.first(),
    )
    assert [q.text_en for q in copy.questions.filter(never_shared=True)] == ["Personal notes"]


def test_a_backup_written_before_the_mark_restores_the_default_personal_notes_as_never_shared(world):
    document = json.loads(workshop_backup_json(workshop=world["workshop"]))
    for row in document["content"]["questions"]:
        del row["never_shared"]
    document["checksum"] = _checksum(document["content"])
    workshop_restore(text=json.dumps(document), slug="older")
    assert [q.text_en for q in Question.objects.filter(workshop__slug="older", never_shared=True)] == ["Personal notes"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_existing_default_personal_notes_never_shared():
    from django.db import connection  # noqa: PLC0415  (a migration test: the executor on the test database)
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    executor = MigrationExecutor(connection)
    # Workshops stays at its latest (its rows need every column it has now); only worksheets goes back.
    latest_workshops = executor.loader.graph.leaf_nodes("workshops")
    before = [("worksheets", "0002_team_notes"), *latest_workshops]
    after = [("worksheets", "0003_access_question_never_shared"), *latest_workshops]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    old = apps.get_model("workshops", "Workshop").objects.create(
        slug="old", title="Old", start_date="2030-09-27", end_date="2030-09-27"
    )
    question = apps.get_model("worksheets", "Question")
    question.objects.create(workshop=old, order=1, text="What do you think?", text_en="What do you think?")
    question.objects.create(workshop=old, order=2, text="Personal notes", text_en="Personal notes")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest, for the tests after this one
    assert list(Question.objects.filter(workshop__slug="old", never_shared=True).values_list("text_en", flat=True)) == [
        "Personal notes"
    ]


def test_never_shared_cannot_be_undone_once_someone_answered(client, organiser, world):
    """Participants wrote their notes on a page saying "never shared": unticking it afterwards would show
    every note of a shared worksheet in the report and to the facilitators. Refused in words, on the
    questions page and in the admin; a question nobody answered yet can still change."""
    from organise.forms import QuestionForm

    notes = world["notes"]
    kwargs = {"workshop": world["workshop"], "session_choices": [("", "Every session")]}
    data = {name: value for name, value in QuestionForm(instance=notes, **kwargs).initial.items() if value is not None}
    data.pop("never_shared")
    form = QuestionForm(data=data, instance=notes, **kwargs)
    assert not form.is_valid() and "never_shared" in form.errors
    assert "already answered" in str(form.errors["never_shared"])
    notes.refresh_from_db()
    assert notes.never_shared
    fresh = f.question(world["workshop"], text_en="Private doubts", never_shared=True)
    data = {name: value for name, value in QuestionForm(instance=fresh, **kwargs).initial.items() if value is not None}
    data.pop("never_shared")
    assert QuestionForm(data=data, instance=fresh, **kwargs).is_valid()
    client.force_login(organiser)
    page = client.get(reverse("admin:worksheets_question_change", args=[notes.pk])).content.decode()
    assert 'name="never_shared"' not in page  # read-only there too, once answered
