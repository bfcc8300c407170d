"""Erasure reaches the admin's history and the solver runs, and never rewrites a namesake's or a common word's text unasked."""

import json
from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from organise.erasure import erasure_plans, participant_erase
from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import Answer, TeamNote
from workshops.enums import Region
from workshops.models import Participant, ScheduleRun

pytestmark = pytest.mark.django_db
NAME, EMAIL = "Valentina García", "valentina.garcia@example.org"


def log(user, obj, *, repr_=None, message="", flag=CHANGE):
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=repr_ if repr_ is not None else str(obj),
        action_flag=flag,
        change_message=message,
    )


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser])
    group = f.group(workshop, name="A")
    session = f.session(workshop, title="Counter-Trafficking")
    question = f.question(workshop, text="Anything else?")
    person = f.participant(workshop, name=NAME, email=EMAIL, organisation="Ministry of Planning", group=group)
    other = f.participant(workshop, name="Kofi Mensah", group=group)
    return {
        "workshop": workshop,
        "group": group,
        "session": session,
        "question": question,
        "person": person,
        "other": other,
    }


def test_erasure_scrubs_the_admin_history_of_the_person_and_of_the_workshop(organiser, world):
    person, group = world["person"], world["group"]
    private = f.worksheet(person, world["session"], sharing=Sharing.PRIVATE)
    # What Django's admin writes: the object's str, and a JSON message (non-ASCII escaped).
    own = log(organiser, person, message=json.dumps([{"changed": {"fields": ["Name", "E-mail"]}}]))
    added = log(organiser, person, flag=ADDITION, message=json.dumps([{"added": {}}]))
    worksheet_log = log(organiser, private)
    group_log = log(organiser, group, message=json.dumps([{"added": {"name": "participant", "object": NAME}}]))
    elsewhere = log(organiser, f.participant(f.workshop(), name=NAME))  # another workshop's namesake

    participant_erase(participant=person)

    for entry in (own, added, worksheet_log, group_log, elsewhere):
        entry.refresh_from_db()
    assert own.object_repr == "[erased]"
    assert own.get_change_message() == "Changed Name and E-mail."
    assert added.object_repr == "[erased]"
    assert worksheet_log.object_repr == "[erased] – Counter-Trafficking"
    assert json.loads(group_log.change_message) == [{"added": {"name": "participant", "object": "[erased]"}}]
    assert elsewhere.object_repr == NAME  # not this workshop's: untouched
    leftovers = LogEntry.objects.exclude(pk=elsewhere.pk)
    assert [e.pk for e in leftovers if "Valentina" in e.object_repr + e.get_change_message()] == []


def test_erasure_scrubs_solver_runs_problems_and_errors(world):
    run = ScheduleRun.objects.create(
        workshop=world["workshop"],
        kind=ScheduleRun.Kind.PLACEMENT,
        status=ScheduleRun.Status.INFEASIBLE,
        problems=[
            ["language_fit", f"{NAME} speaks Hindi, which no room of the workshop works in."],
            ["capacity", "There are 12 participants, but the rooms seat only 10."],
        ],
        error=f"Participant {NAME} <{EMAIL}> has no language",
    )
    other_run = ScheduleRun.objects.create(
        workshop=f.workshop(), kind=ScheduleRun.Kind.PLACEMENT, problems=[["language_fit", f"{NAME} speaks Hindi."]]
    )

    participant_erase(participant=world["person"])

    run.refresh_from_db()
    other_run.refresh_from_db()
    assert run.problems == [
        ["language_fit", "[erased] speaks Hindi, which no room of the workshop works in."],
        ["capacity", "There are 12 participants, but the rooms seat only 10."],
    ]
    assert run.error == "Participant [erased] <[erased]> has no language"
    assert other_run.problems == [["language_fit", f"{NAME} speaks Hindi."]]


@pytest.fixture
def namesakes(world, organiser):
    """Two participants called Kofi Mensah; the first asks to be erased."""
    workshop, session, question = world["workshop"], world["session"], world["question"]
    leaving = world["other"]
    staying = f.participant(workshop, name="Kofi Mensah", email="kofi.m@example.org", group=world["group"])
    own = f.answer(f.worksheet(staying, session, sharing=Sharing.NAMED), question, text="I am Kofi Mensah from Accra.")
    third = f.answer(
        f.worksheet(world["person"], session, sharing=Sharing.ANONYMOUS),
        question,
        text=f"Kofi Mensah ({leaving.email}) chaired the group.",
    )
    staying_log = log(organiser, staying)
    return {"leaving": leaving, "staying": staying, "own": own, "third": third, "staying_log": staying_log}


def test_erasing_one_of_two_namesakes_leaves_the_others_texts(namesakes):
    participant_erase(participant=namesakes["leaving"])

    for row in ("own", "third", "staying_log"):
        namesakes[row].refresh_from_db()
    assert namesakes["own"].text == "I am Kofi Mensah from Accra."
    # The e-mail can only be theirs; the name may be the other Kofi's.
    assert namesakes["third"].text == "Kofi Mensah ([erased]) chaired the group."
    assert namesakes["staying_log"].object_repr == "Kofi Mensah"
    assert Participant.objects.get(pk=namesakes["staying"].pk).name == "Kofi Mensah"


def test_namesakes_plan_lists_the_texts_that_would_change_for_the_organiser_to_choose(namesakes, settings):
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 1  # the plan is under test here, not the anonymity threshold
    (plan,) = erasure_plans(participants=[Participant.objects.get(pk=namesakes["leaving"].pk)])
    third, own = namesakes["third"], namesakes["own"]
    assert [(c.key, c.words) for c in plan.certain] == [(f"answer:{third.pk}", (namesakes["leaving"].email,))]
    assert [(c.key, c.before, c.after, c.words) for c in plan.uncertain] == [
        (f"answer:{own.pk}", own.text, "I am [erased] from Accra.", ("Kofi Mensah",)),
        (f"answer:{third.pk}", third.text, "[erased] ([erased]) chaired the group.", ("Kofi Mensah",)),
    ]
    assert [c.where for c in plan.uncertain] == [
        "Kofi Mensah's answer, Counter-Trafficking",
        "An anonymous answer to “Anything else?”, Counter-Trafficking",  # never the anonymous author's name
    ]

    participant_erase(participant=namesakes["leaving"], uncertain=[f"answer:{third.pk}"])

    third.refresh_from_db()
    own.refresh_from_db()
    assert third.text == "[erased] ([erased]) chaired the group."
    assert own.text == "I am Kofi Mensah from Accra."


@pytest.fixture
def may_rose(world):
    workshop, session, question = world["workshop"], world["session"], world["question"]
    may = f.participant(workshop, name="May Rose", email="may.rose@example.org", group=world["group"])
    theirs = f.answer(
        f.worksheet(world["other"], session, sharing=Sharing.NAMED),
        question,
        text="We may need a rose garden. May Rose said so.",
        revision=2,
    )
    private = f.answer(
        f.worksheet(world["person"], session, sharing=Sharing.PRIVATE), question, text="Secret: we may leave early."
    )
    note = TeamNote.objects.create(session=session, group=world["group"], text="Time may run short.")
    return {"may": may, "theirs": theirs, "private": private, "note": note}


def test_erasing_a_name_that_is_a_common_word_rewrites_only_the_name_written_as_one(may_rose):
    participant_erase(participant=may_rose["may"])

    theirs, private, note = (Answer.objects.get(pk=may_rose["theirs"].pk), may_rose["private"], may_rose["note"])
    private.refresh_from_db()
    note.refresh_from_db()
    assert (theirs.text, theirs.revision) == ("We may need a rose garden. [erased] said so.", 3)
    assert private.text == "Secret: we may leave early."
    assert note.text == "Time may run short."


def test_common_word_plan_offers_the_lone_words_and_hides_what_organisers_may_not_read(may_rose):
    (plan,) = erasure_plans(participants=[may_rose["may"]])
    theirs, private, note = may_rose["theirs"], may_rose["private"], may_rose["note"]
    assert [(c.key, c.after, c.words) for c in plan.certain] == [
        (f"answer:{theirs.pk}", "We may need a rose garden. [erased] said so.", ("May Rose",))
    ]
    assert [(c.key, c.words, c.hidden) for c in plan.uncertain] == [
        (f"answer:{theirs.pk}", ("may", "rose"), False),
        (f"answer:{private.pk}", ("may",), True),
        (f"note:{note.pk}", ("may",), True),
    ]
    assert plan.uncertain[0].after == "We [erased] need a [erased] garden. [erased] said so."
    # A private worksheet and the facilitators' notes: organisers see that they mention the word, never their text.
    assert [(c.before, c.after) for c in plan.uncertain[1:]] == [("", ""), ("", "")]
    assert plan.uncertain[1].where == "Another participant's private worksheet, Counter-Trafficking"


def test_admin_confirmation_shows_the_texts_and_scrubs_only_those_ticked(client, organiser, world, may_rose):
    client.force_login(organiser)
    may, theirs, note = may_rose["may"], may_rose["theirs"], may_rose["note"]
    changelist = reverse("admin:workshops_participant_changelist")
    data = {"action": "erase_personal_data", "_selected_action": [may.pk]}

    page = client.post(changelist, data).content.decode()

    assert "We may need a rose garden. May Rose said so." in page
    assert f'name="uncertain-{may.pk}" value="answer:{theirs.pk}"' in page
    assert f'name="uncertain-{may.pk}" value="note:{note.pk}"' in page
    assert "Secret: we may leave early." not in page and "Time may run short." not in page
    assert Participant.objects.get(pk=may.pk).name == "May Rose"

    response = client.post(changelist, {**data, "post": "yes", f"uncertain-{may.pk}": [f"note:{note.pk}"]})

    assert response.status_code == 302
    note.refresh_from_db()
    theirs.refresh_from_db()
    assert note.text == "Time [erased] run short."
    assert theirs.text == "We may need a rose garden. [erased] said so."


def test_admin_confirmation_ignores_a_key_outside_the_plan(client, organiser, world, may_rose):
    client.force_login(organiser)
    stranger = f.answer(
        f.worksheet(f.participant(f.workshop()), f.session(f.workshop()), sharing=Sharing.NAMED),
        world["question"],
        text="May I?",
    )
    data = {"action": "erase_personal_data", "_selected_action": [may_rose["may"].pk], "post": "yes"}
    client.post(
        reverse("admin:workshops_participant_changelist"),
        {**data, f"uncertain-{may_rose['may'].pk}": [f"answer:{stranger.pk}"]},
    )
    stranger.refresh_from_db()
    assert stranger.text == "May I?"


def test_command_lists_uncertain_texts_and_asks_before_changing_them(world, may_rose, monkeypatch):
    answers = iter(["yes", "no"])
    monkeypatch.setattr("builtins.input", lambda: next(answers))
    out = StringIO()
    call_command("erase_participant", "may.rose@example.org", "--workshop", world["workshop"].slug, stdout=out)
    text = out.getvalue()
    assert "We may need a rose garden. May Rose said so." in text
    assert "Secret: we may leave early." not in text and "Time may run short." not in text
    assert "3 texts mention “may”, “rose”" in text
    may_rose["note"].refresh_from_db()
    assert may_rose["note"].text == "Time may run short."
    assert Participant.objects.get(pk=may_rose["may"].pk).name != "May Rose"


def test_command_changes_uncertain_texts_when_told(world, may_rose, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda: pytest.fail("asked"))
    call_command(
        "erase_participant",
        "may.rose@example.org",
        "--workshop",
        world["workshop"].slug,
        "--yes",
        "--scrub-uncertain",
        stdout=StringIO(),
    )
    may_rose["note"].refresh_from_db()
    assert may_rose["note"].text == "Time [erased] run short."


def test_command_with_yes_keeps_uncertain_texts(world, may_rose, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda: pytest.fail("asked"))
    call_command(
        "erase_participant", "may.rose@example.org", "--workshop", world["workshop"].slug, "--yes", stdout=StringIO()
    )
    may_rose["private"].refresh_from_db()
    assert may_rose["private"].text == "Secret: we may leave early."


def test_command_declined_erases_nothing(world, may_rose, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda: "no")
    with pytest.raises(CommandError, match="Nothing was erased"):
        call_command(
            "erase_participant", "may.rose@example.org", "--workshop", world["workshop"].slug, stdout=StringIO()
        )
    assert Participant.objects.get(pk=may_rose["may"].pk).name == "May Rose"


def test_plan_never_ties_their_own_anonymous_answer_to_them(world):
    person, session, question = world["person"], world["session"], world["question"]
    anonymous = f.answer(
        f.worksheet(person, session, sharing=Sharing.ANONYMOUS), question, text="The Ministry of Planning is slow."
    )
    named = f.answer(
        f.worksheet(person, f.session(world["workshop"], title="Labour", day=1), sharing=Sharing.NAMED),
        question,
        text="Write to valentina.garcia@example.org",
    )
    (plan,) = erasure_plans(participants=[person])
    assert [(c.key, c.where, c.before, c.after, c.words, c.hidden) for c in plan.certain] == [
        (
            f"answer:{anonymous.pk}",
            "One of their own answers shared without their name, Counter-Trafficking",
            "",
            "",
            ("Ministry of Planning",),
            True,
        ),
        (
            f"answer:{named.pk}",
            "Their own answer shared with their name, Labour",
            "Write to valentina.garcia@example.org",
            "Write to [erased]",
            (EMAIL,),
            False,
        ),
    ]
    participant_erase(participant=person)
    anonymous.refresh_from_db()
    assert anonymous.text == "The [erased] is slow."


# --- Others' anonymous answers follow the report's rule (fewer than 3 sharers: never their text) -----


@pytest.fixture
def anonymous_mentions(world, settings):
    """Kofi, alone in group A and Europe, shares anonymously a text naming Valentina; three of group B in Europe too."""
    settings.REPORT_MIN_ANONYMOUS_SHARERS = 3
    workshop, session, question = world["workshop"], world["session"], world["question"]
    kofi = f.participant(workshop, name="Kofi Asante", group=world["group"], region=Region.EUROPE)
    lone = f.answer(
        f.worksheet(kofi, session, sharing=Sharing.ANONYMOUS), question, text=f"Only I know {NAME} from Quito."
    )
    crowd_group = f.group(workshop, name="B")
    crowd = [
        f.answer(
            f.worksheet(
                f.participant(workshop, group=crowd_group, region=Region.EUROPE), session, sharing=Sharing.ANONYMOUS
            ),
            question,
            text=f"{NAME} led us, said number {index}.",
        )
        for index in range(3)
    ]
    return {"lone": lone, "crowd": crowd}


def test_plan_hides_others_anonymous_answers_from_a_slice_below_the_threshold(world, anonymous_mentions):
    (plan,) = erasure_plans(participants=[world["person"]])
    lone = anonymous_mentions["lone"]
    (change,) = [c for c in plan.certain if c.key == f"answer:{lone.pk}"]
    assert (change.hidden, change.before, change.after, change.words) == (True, "", "", (NAME,))
    assert change.where == "An anonymous answer to “Anything else?”, Counter-Trafficking"


def test_plan_shows_others_anonymous_answers_from_a_slice_at_the_threshold(world, anonymous_mentions):
    (plan,) = erasure_plans(participants=[world["person"]])
    shown = [(c.key, c.hidden, c.before) for c in plan.certain if c.key != f"answer:{anonymous_mentions['lone'].pk}"]
    assert shown == [(f"answer:{a.pk}", False, a.text) for a in anonymous_mentions["crowd"]]


def test_admin_confirmation_never_shows_a_lone_anonymous_sharers_text(client, organiser, world, anonymous_mentions):
    client.force_login(organiser)
    data = {"action": "erase_personal_data", "_selected_action": [world["person"].pk]}
    response = client.post(reverse("admin:workshops_participant_changelist"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only I know" not in page and "from Quito" not in page
    assert "An anonymous answer to “Anything else?”, Counter-Trafficking" in page
    assert f"mentions “{NAME}” (you may not read this text)" in page
    assert "led us, said number 0." in page  # a slice of three: shown, as in the report


def test_command_never_prints_a_lone_anonymous_sharers_text(world, anonymous_mentions, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda: "no")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("erase_participant", EMAIL, "--workshop", world["workshop"].slug, stdout=out)
    assert "Only I know" not in out.getvalue()
    assert "An anonymous answer to “Anything else?”, Counter-Trafficking" in out.getvalue()


def test_plan_names_the_question_in_the_active_language_in_a_fixed_number_of_queries(world, anonymous_mentions):
    """The question and the session's title are read in the query that reads the answers, in every language
    (before, each answer's session title in French cost two queries more)."""
    world["question"].text_fr = "Autre chose ?"
    world["question"].save()
    erasure_plans(participants=[world["person"]])  # the content types, read once per process
    counts = []
    for extra in (0, 3):
        for _index in range(extra):
            kofi = f.participant(world["workshop"], group=world["group"], region=Region.AMERICAS)
            f.answer(f.worksheet(kofi, world["session"], sharing=Sharing.ANONYMOUS), world["question"], text=NAME)
        with translation.override("fr"), CaptureQueriesContext(connection) as queries:
            (plan,) = erasure_plans(participants=[Participant.objects.get(pk=world["person"].pk)])
        counts.append(len(queries))
    lone = anonymous_mentions["lone"]
    (change,) = [c for c in plan.certain if c.key == f"answer:{lone.pk}"]
    assert change.where == "Une réponse anonyme à «\u00a0Autre chose ?\u00a0», Counter-Trafficking"
    assert counts[0] == counts[1]
