"""Erasing a participant's personal data: gone where private, anonymous where shared, asked first."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organise.erasure import participant_erase
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import Answer, TeamNote, Worksheet
from worksheets.report import feedback_report
from workshops.access import personal_link_path
from workshops.models import Invitation, Participant

pytestmark = pytest.mark.django_db
NAME, EMAIL = "Valentina García", "valentina.garcia@example.org"


@pytest.fixture
def world(organiser):
    today = timezone.localdate()
    workshop = f.workshop(organisers=[organiser], start_date=today, end_date=today + timedelta(days=1))
    group = f.group(workshop)
    one, two, three = (f.session(workshop, day=day) for day in range(3))
    question = f.question(workshop, text="What will you take home?")
    person = f.participant(
        workshop, name=NAME, email=EMAIL, organisation="Ministry of Planning", gender="female", group=group
    )
    other = f.participant(workshop, name="Kofi Mensah", group=group)
    private = f.worksheet(person, one, sharing=Sharing.PRIVATE)
    f.answer(private, question, text="My private thoughts")
    named = f.worksheet(person, two, sharing=Sharing.NAMED)
    f.answer(named, question, text="Shared with my name")
    anonymous = f.worksheet(person, three, sharing=Sharing.ANONYMOUS)
    f.answer(anonymous, question, text="Shared without my name")
    f.answer(f.worksheet(other, one, sharing=Sharing.NAMED), question, text="Kofi's answer")
    Invitation.objects.create(workshop=workshop, participant=person, language="es", to_email=EMAIL, batch=uuid.uuid4())
    Invitation.objects.create(
        workshop=workshop, participant=other, language="en", to_email=other.email, batch=uuid.uuid4()
    )
    return {
        "workshop": workshop,
        "person": person,
        "other": other,
        "named": named,
        "anonymous": anonymous,
        "private": private,
    }


def report_entries(workshop):
    return sorted(
        (entry.text, entry.author)
        for session in feedback_report(workshop=workshop).sessions
        for question in session.questions
        for entry in question.entries
    )


def test_erasure_removes_personal_data_and_private_worksheets(client, world):
    person = world["person"]
    old_link = personal_link_path(person=person)
    assert client.get(old_link).status_code == 302
    client.logout()
    user_pk = Participant.objects.get(pk=person.pk).user_id

    result = participant_erase(participant=person)

    person.refresh_from_db()
    assert person.name == f"Erased participant {person.pk}"
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert (person.organisation, person.country.code, person.gender, person.user_id) == ("", "", "", None)
    assert person.group == world["private"].participant.group  # still counted in their group
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    assert not Worksheet.objects.filter(pk=world["private"].pk).exists()
    assert not Answer.objects.filter(text="My private thoughts").exists()
    assert list(Worksheet.objects.filter(participant=person).order_by("pk").values_list("sharing", flat=True)) == [
        Sharing.ANONYMOUS,
        Sharing.ANONYMOUS,
    ]
    assert list(Invitation.objects.values_list("to_email", flat=True)) == [world["other"].email]
    assert (result.private_worksheets_deleted, result.shared_worksheets_anonymised) == (1, 1)
    assert (result.invitations_deleted, result.login_deleted) == (1, True)

    # The old personal link now fails with the link-problem page.
    response = client.get(old_link)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    # Nobody finds them by name or e-mail any more.
    assert not Participant.objects.filter(name__icontains="Valentina").exists()
    assert not Participant.objects.filter(email__iexact=EMAIL).exists()


def test_shared_answers_stay_in_the_report_without_a_name(world, settings):
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1  # the erasure is under test here, not the anonymity threshold
    assert report_entries(world["workshop"]) == [
        ("Kofi's answer", "Kofi Mensah"),
        ("Shared with my name", NAME),
        ("Shared without my name", None),
    ]
    participant_erase(participant=world["person"])
    assert report_entries(world["workshop"]) == [
        ("Kofi's answer", "Kofi Mensah"),
        ("Shared with my name", None),
        ("Shared without my name", None),
    ]


def test_erasing_twice_changes_nothing_more(world):
    participant_erase(participant=world["person"])
    before = list(Participant.objects.values().order_by("pk")), list(Worksheet.objects.values().order_by("pk"))
    result = participant_erase(participant=world["person"])
    after = list(Participant.objects.values().order_by("pk")), list(Worksheet.objects.values().order_by("pk"))
    assert after == before
    assert (result.private_worksheets_deleted, result.shared_worksheets_anonymised) == (0, 0)
    assert (result.invitations_deleted, result.login_deleted) == (0, False)


def changelist(client):
    return reverse("admin:workshops_participant_changelist")


def test_admin_action_asks_first_then_erases(client, organiser, world):
    client.force_login(organiser)
    person = world["person"]
    data = {"action": "erase_personal_data", "_selected_action": [person.pk]}

    response = client.post(changelist(client), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This cannot be undone" in page
    assert NAME in page and EMAIL in page
    assert 'name="post" value="yes"' in page
    assert Participant.objects.get(pk=person.pk).name == NAME  # nothing erased yet

    response = client.post(changelist(client), {**data, "post": "yes"})

    assert response.status_code == 302
    assert Participant.objects.get(pk=person.pk).name == f"Erased participant {person.pk}"
    search = client.get(changelist(client), {"q": "Valentina"})
    assert search.status_code == 200
    assert "0 participants" in search.content.decode()
    assert Participant.objects.get(pk=world["other"].pk).name == "Kofi Mensah"


def test_admin_action_cannot_reach_another_workshops_participant(client, other_organiser, world):
    client.force_login(other_organiser)
    data = {"action": "erase_personal_data", "_selected_action": [world["person"].pk], "post": "yes"}
    client.post(changelist(client), data)
    assert Participant.objects.get(pk=world["person"].pk).name == NAME


def test_command_asks_on_stdin_unless_yes(world, monkeypatch):
    person = world["person"]
    monkeypatch.setattr("builtins.input", lambda: "no")
    with pytest.raises(CommandError, match="Nothing was erased"):
        call_command("erase_participant", EMAIL.upper(), "--workshop", world["workshop"].slug, stdout=StringIO())
    assert Participant.objects.get(pk=person.pk).name == NAME

    monkeypatch.setattr("builtins.input", lambda: "yes")
    out = StringIO()
    call_command("erase_participant", EMAIL, "--workshop", world["workshop"].slug, stdout=out)
    assert "Private worksheets deleted: 1" in out.getvalue()
    assert Participant.objects.get(pk=person.pk).name != NAME

    with pytest.raises(CommandError, match="No participant"):
        call_command("erase_participant", EMAIL, "--workshop", world["workshop"].slug, "--yes", stdout=StringIO())


def test_command_with_yes_does_not_ask(world, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda: pytest.fail("asked"))
    call_command("erase_participant", EMAIL, "--workshop", world["workshop"].slug, "--yes", stdout=StringIO())
    assert not Participant.objects.filter(email__iexact=EMAIL).exists()


def test_confirmation_page_queries_do_not_grow_with_the_selection(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    people = [f.participant(workshop) for _ in range(8)]
    client.force_login(organiser)
    counts = []
    for selected in (people[:2], people):
        data = {"action": "erase_personal_data", "_selected_action": [p.pk for p in selected]}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(changelist(client), data)
        assert response.status_code == 200
        assert all(p.name in response.content.decode() for p in selected)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_mentions_in_kept_free_text_are_scrubbed_and_revised(world):
    person, other = world["person"], world["other"]
    question = f.question(world["workshop"], text="Anything else?")
    own = f.answer(
        world["anonymous"],
        question,
        text=f"I am {NAME.upper()} of the Ministry of Planning ({EMAIL}); García is my family name.",
        revision=3,
    )
    theirs = f.answer(
        f.worksheet(other, world["named"].session, sharing=Sharing.NAMED),
        question,
        text=f"Valentina said so; I agree with {NAME}. Valentinas and Garcíadom stay.",
    )
    note = TeamNote.objects.create(
        session=world["named"].session, group=person.group, text=f"{NAME} asked about visas. Ask Kofi."
    )
    untouched = f.answer(
        f.worksheet(other, world["anonymous"].session), question, text="Nothing about anyone", revision=2
    )

    result = participant_erase(participant=person)

    own.refresh_from_db()
    theirs.refresh_from_db()
    note.refresh_from_db()
    untouched.refresh_from_db()
    assert own.text == "I am [erased] of the [erased] ([erased]); [erased] is my family name."
    assert own.revision == 4
    # In someone else's words only the full name goes: a lone first name may be anyone's.
    assert theirs.text == "Valentina said so; I agree with [erased]. Valentinas and Garcíadom stay."
    assert note.text == "[erased] asked about visas. Ask Kofi."
    assert (untouched.text, untouched.revision) == ("Nothing about anyone", 2)
    # The named worksheet's own answer held no mention; three texts changed.
    assert result.texts_scrubbed == 3
    assert not Answer.objects.filter(text__icontains="valentina.garcia").exists()


def test_a_facilitators_tab_left_open_on_the_old_notes_cannot_write_the_name_back(client, world):
    person, session = world["person"], world["named"].session
    facilitator = f.facilitator(world["workshop"])
    f.assignment(facilitator, session, person.group)
    note = TeamNote.objects.create(session=session, group=person.group, text=f"Follow up with {NAME}", revision=4)
    client.get(personal_link_path(person=facilitator))

    participant_erase(participant=person)

    response = client.post(
        reverse("worksheets:notes_autosave", args=[session.pk]),
        {"text": f"Follow up with {NAME} on Tuesday", "revision": 4},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["text"] == "Follow up with [erased]"  # what the tab is shown to merge into
    note.refresh_from_db()
    assert (note.text, note.revision) == ("Follow up with [erased]", 5)


def test_the_command_reports_the_scrubbed_texts(world):
    answer = Answer.objects.get(worksheet=world["named"])
    answer.text = f"Write to {EMAIL}"
    answer.save()
    out = StringIO()
    call_command("erase_participant", EMAIL, "--workshop", world["workshop"].slug, "--yes", stdout=out)
    assert "Mentions removed from kept texts: 1" in out.getvalue()


def test_erasure_removes_files_that_may_carry_the_persons_data(organiser):
    """An uploaded registration file and a finished badges PDF may hold the name and e-mail: erasing
    a participant removes them (they are made again on demand)."""
    from organise.erasure import participant_erase
    from workshops.models import ImportUpload, Job

    workshop = f.workshop(organisers=[organiser])
    person = f.participant(workshop, name="Amina Diallo", email="amina@example.org")
    ImportUpload.objects.create(
        workshop=workshop,
        user=organiser,
        filename="people.csv",
        kind="participants",
        content=b"name,email\nAmina Diallo,amina@example.org\n",
        sha256="0" * 64,
    )
    job = Job.objects.create(
        workshop=workshop,
        kind=Job.Kind.BADGES,
        state=Job.State.DONE,
        created_by=organiser,
        result=b"%PDF Amina Diallo",
        result_name="badges.pdf",
        result_type="application/pdf",
        result_size=17,
    )
    other = f.workshop(organisers=[organiser])
    kept = ImportUpload.objects.create(
        workshop=other, user=organiser, filename="x.csv", kind="participants", content=b"x", sha256="1" * 64
    )
    participant_erase(participant=person)
    assert not ImportUpload.objects.filter(workshop=workshop).exists()
    job.refresh_from_db()
    assert job.result is None
    assert ImportUpload.objects.filter(pk=kept.pk).exists()  # another workshop's file is not theirs


def test_a_job_running_while_a_participant_is_erased_keeps_no_file(organiser):
    """A report or badges job still being made when someone is erased would store, after the erasure,
    a file naming them, downloadable for a day: the erasure stops the workshop's unfinished jobs, and
    a stopped job's file is never kept."""
    from organise.erasure import participant_erase
    from workshops.jobs import JobResult, job_create, job_execute, job_result
    from workshops.models import Job

    workshop = f.workshop(organisers=[organiser])
    person = f.participant(workshop, name="Amina Diallo", email="amina@example.org")
    queued = job_create(workshop=workshop, kind=Job.Kind.REPORT_CSV, user=organiser)
    job = job_create(workshop=workshop, kind=Job.Kind.BADGES, user=organiser)

    def work(running, progress):
        participant_erase(participant=person)  # meanwhile, on another page
        return JobResult(content=b"%PDF Amina Diallo", name="badges.pdf", content_type="application/pdf")

    finished = job_execute(job_id=job.pk, work=work)
    assert finished.state == Job.State.FAILED and job_result(job=finished) is None
    assert "erased" in finished.message_display
    assert Job.objects.filter(pk=job.pk, result__isnull=False).count() == 0
    queued.refresh_from_db()
    assert queued.state == Job.State.FAILED
    assert job_execute(job_id=queued.pk, work=work).state == Job.State.FAILED  # a worker taking it later does nothing
