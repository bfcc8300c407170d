"""The 2005 demo event, as the seed describes it, loaded idempotently."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import serializers
from django.core.management import call_command

from curriculum.models import IammItem, Section, SectionItem, Volume
from worksheets.evaluation_report import evaluation_summary, knowledge_summary
from worksheets.models import Answer, GroupSummary, Question, Worksheet
from workshops.enums import Region
from workshops.models import Assignment, BreakoutSession, Facilitator, Group, Participant, Room, Workshop
from workshops.services import workshop_check

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Zurich")


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    return Workshop.objects.get(slug="idm-2005-capacity")


def snapshot() -> str:
    models = [
        Workshop,
        Room,
        Group,
        BreakoutSession,
        Participant,
        Facilitator,
        Assignment,
        Question,
        Volume,
        Section,
        SectionItem,
        IammItem,
    ]
    return "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in models)


def test_demo_loads_twice_without_changing_anything(demo):
    before = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before


def test_demo_has_the_emm_table_of_contents_in_three_languages(demo):
    assert Volume.objects.count() == 3
    assert Section.objects.count() == 32
    assert [s.number for s in Section.objects.filter(volume__number=2)] == [f"2.{i}" for i in range(1, 11)]
    labour = Section.objects.get(number="2.6")
    assert labour.title_en == "Migration and Labor"
    assert labour.title_es and labour.title_fr and labour.title_es != labour.title_en
    assert Section.objects.get(number="3.12").title_en == "Irregular Migration"
    assert Section.objects.get(number="1.1").title_en == "Terminology"
    for section in Section.objects.all():
        assert section.title_en and section.title_es and section.title_fr, section.number


def test_demo_sample_content_only_for_the_two_sessions_sections(demo):
    sampled = set(SectionItem.objects.values_list("section__number", flat=True))
    assert sampled == {"2.6", "3.12"}
    for number in ("2.6", "3.12"):
        section = Section.objects.get(number=number)
        assert section.is_sample_content
        kinds = set(section.items.values_list("kind", flat=True))
        assert kinds == {"guiding_question", "key_message", "exercise"}
    assert IammItem.objects.filter(kind="common_understanding").count() == 6
    assert IammItem.objects.filter(kind="effective_practice").count() == 13


def test_demo_rooms_groups_and_language_modes(demo):
    groups = list(Group.objects.filter(workshop=demo).select_related("room__language_mode").order_by("name"))
    assert [g.name for g in groups] == ["A", "B", "C", "D", "E"]
    assert [g.room.name for g in groups] == ["Room A", "Room B", "Room C", "Room D", "Room E"]
    for group in groups[:3]:
        assert sorted(group.room.language_mode.languages) == ["en", "es", "fr"]
        assert group.room.language_mode.interpretation is True
    for group in groups[3:]:
        assert group.room.language_mode.languages == ["en"]
        assert group.room.language_mode.interpretation is False


def test_demo_sessions_match_the_seed(demo):
    sessions = list(BreakoutSession.objects.filter(workshop=demo).select_related("section").order_by("start"))
    assert [(s.title_en, s.section.number) for s in sessions] == [
        ("Migration and Labour", "2.6"),
        ("Counter-Trafficking", "3.12"),
    ]
    assert [(s.start, s.end) for s in sessions] == [
        (datetime(2005, 9, 27, 11, tzinfo=TZ), datetime(2005, 9, 27, 13, tzinfo=TZ)),
        (datetime(2005, 9, 27, 15, tzinfo=TZ), datetime(2005, 9, 27, 17, tzinfo=TZ)),
    ]
    assert all(s.facilitators_required == 2 for s in sessions)
    assert (demo.start_date.isoformat(), demo.end_date.isoformat()) == ("2005-09-27", "2005-09-28")


def test_demo_people_are_fictional_many_countries_all_regions(demo):
    participants = Participant.objects.filter(workshop=demo)
    assert 90 <= participants.count() <= 120
    assert set(participants.values_list("region", flat=True)) == set(Region.values)
    assert participants.values("country").distinct().count() >= 30
    assert all(email.endswith("@example.org") for email in participants.values_list("email", flat=True))
    # Some delegates speak no English: that is why rooms A–C have interpretation.
    assert any("en" not in p.languages for p in participants)
    assert 10 <= Facilitator.objects.filter(workshop=demo).count() <= 14


def test_demo_schedule_meets_every_rule(demo):
    assert workshop_check(workshop=demo) == []
    # "New facilitators will come to you": no group sees a facilitator twice.
    pairs = list(Assignment.objects.filter(session__workshop=demo).values_list("facilitator", "group"))
    assert len(pairs) == len(set(pairs)) == 20


def test_demo_default_worksheet_questions_in_three_languages(demo):
    questions = list(Question.objects.filter(workshop=demo).order_by("order"))
    assert len(questions) == 6
    assert questions[0].text_en == "What is your response to the substance of this section?"
    assert "new capacity-building tools" in questions[4].text_en
    assert all(q.text_es and q.text_fr for q in questions)


def test_demo_command_prints_the_organiser_login_and_entry_points():

    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "user organiser / password emm-2005-demo" in text
    assert "http://127.0.0.1:8000/workshops/idm-2005-capacity/" in text
    assert "Participant:" in text and "Facilitator:" in text


def test_demo_has_sample_worksheets_some_shared(demo):
    worksheets = Worksheet.objects.filter(session__workshop=demo)
    assert worksheets.count() == 40
    assert worksheets.filter(sharing="named").exists() and worksheets.filter(sharing="anonymous").exists()
    assert worksheets.filter(sharing="private").exists()
    assert Answer.objects.filter(worksheet__session__workshop=demo).exclude(text="").exists()


def test_demo_has_report_back_summaries_for_some_groups(demo):
    summaries = GroupSummary.objects.filter(session__workshop=demo).select_related("group", "rapporteur", "session")
    assert [(s.group.name, bool(s.text), s.rapporteur.group_id == s.group_id) for s in summaries] == [
        ("A", True, True),
        ("B", True, True),
        ("C", True, True),
        ("D", False, True),
    ]
    assert {s.session for s in summaries} == {demo.sessions.order_by("start").first()}
    call_command("load_demo", stdout=StringIO())
    assert GroupSummary.objects.filter(session__workshop=demo).count() == 4


def test_demo_has_anonymous_evaluations_and_a_knowledge_check(demo):
    summary = evaluation_summary(workshop=demo)
    assert [form["session"]["title"] if form["session"] else None for form in summary["forms"]] == [
        "Migration and Labour",
        "Counter-Trafficking",
        None,
    ]
    assert all(form["responses"] >= 20 for form in summary["forms"])
    (knowledge,) = knowledge_summary(workshop=demo)["sessions"]
    assert knowledge["session"]["title"] == "Migration and Labour"
    assert knowledge["after"]["mean_percent"] > knowledge["before"]["mean_percent"]
    call_command("load_demo", stdout=StringIO())
    assert evaluation_summary(workshop=demo) == summary  # loaded once
