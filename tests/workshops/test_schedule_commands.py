"""Generated workshops, storing and exporting them, and the generate/check/export commands."""

import json
import statistics
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import base, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries.data import COUNTRIES as ISO_COUNTRIES

from curriculum import emm_data
from curriculum.models import Section
from tests import factories
from workshops.management.commands.check_schedule import Command as CheckSchedule
from workshops.models import Assignment, Availability, BreakoutSession, Facilitator, Group, Participant, Room, Workshop
from workshops.schedule_export import schedule_export
from workshops.schedule_store import schedule_store
from workshops.scheduling.checker import Rule, schedule_check
from workshops.scheduling.data import AssignmentSpec, Schedule
from workshops.scheduling.generate import schedule_generate
from workshops.selectors import schedule_load

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Zurich")
SIZES = [
    # participants, groups, sessions, facilitators, countries: the benchmark's three events and a small one
    (100, 5, 2, 12, 45),
    (600, 20, 4, 50, 100),
    (3000, 100, 6, 250, 150),
    (40, 3, 5, 10, 10),
]
SECTION_NUMBERS = {spec["number"] for spec in emm_data.SECTIONS}


def generate(participants=60, groups=3, sessions=3, facilitators=8, countries=10, seed=3) -> Schedule:
    return schedule_generate(
        participants=participants,
        groups=groups,
        sessions=sessions,
        facilitators=facilitators,
        countries=countries,
        seed=seed,
    )


def solve_naively(schedule: Schedule) -> Schedule:
    """Greedy placement (no English first, into the emptiest fitting room) and a cyclic rotation of
    pairs among the facilitators available throughout: a witness that the instance is feasible."""
    rooms = {room.id: room for room in schedule.rooms}
    free = {group.id: rooms[group.room_id].capacity for group in schedule.groups}
    placed = []
    for p in sorted(schedule.participants, key=lambda p: ("en" in p.languages, p.id)):
        fitting = [g for g in schedule.groups if free[g.id] and p.languages & rooms[g.room_id].languages]
        target = max(fitting, key=lambda g: (free[g.id], -g.id))
        free[target.id] -= 1
        placed.append(replace(p, group_id=target.id))
    always = [f.id for f in schedule.facilitators if not f.availability]
    teams = [always[i : i + 2] for i in range(0, len(always) - 1, 2)]
    assignments = [
        AssignmentSpec(facilitator_id=fid, session_id=session.id, group_id=group.id)
        for s, session in enumerate(schedule.sessions)
        for g, group in enumerate(schedule.groups)
        for fid in teams[(g + s) % len(teams)]
    ]
    return replace(schedule, participants=tuple(placed), assignments=tuple(assignments))


def test_the_generator_is_deterministic_for_a_seed():
    assert generate(seed=7) == generate(seed=7)
    assert generate(seed=7) != generate(seed=8)


@pytest.mark.parametrize(("participants", "groups", "sessions", "facilitators", "countries"), SIZES)
def test_a_generated_workshop_is_realistic_and_feasible(participants, groups, sessions, facilitators, countries):
    schedule = generate(participants, groups, sessions, facilitators, countries, seed=1)

    # Counts, and consecutive ids per kind from 1.
    for items, count in (
        (schedule.rooms, groups),
        (schedule.groups, groups),
        (schedule.participants, participants),
        (schedule.sessions, sessions),
        (schedule.facilitators, facilitators),
    ):
        assert [item.id for item in items] == list(range(1, count + 1))
    assert [g.room_id for g in schedule.groups] == [r.id for r in schedule.rooms]
    assert all(p.group_id is None for p in schedule.participants)
    assert schedule.assignments == ()

    # Rooms: about 60 % tri-lingual, the rest English only; unequal; ~115 % seats.
    trilingual = [r for r in schedule.rooms if r.languages == {"en", "es", "fr"}]
    assert all(r.languages in ({"en", "es", "fr"}, {"en"}) for r in schedule.rooms)
    assert len(trilingual) == max(1, round(0.6 * groups))
    capacities = [r.capacity for r in schedule.rooms]
    assert 1.15 * participants <= sum(capacities) <= 1.15 * participants + groups
    assert len(set(capacities)) > 1 or groups == 1

    # Participants: every one fits some room; 15–25 % speak Spanish or French but no English.
    people = schedule.participants
    assert all(any(p.languages & r.languages for r in schedule.rooms) for p in people)
    no_english = [p for p in people if "en" not in p.languages]
    assert 0.15 <= len(no_english) / participants <= 0.25
    assert sum(r.capacity for r in trilingual) >= len(no_english)
    only = Counter(frozenset(p.languages & {"en", "es", "fr"}) for p in people)
    assert only[frozenset({"es"})] > 0 and only[frozenset({"fr"})] > 0
    assert all(p.name and p.organisation for p in people)
    assert {p.gender for p in people} >= {"female", "male"}

    # Countries: as many as asked, real ISO codes, all four regions, some big delegations.
    delegations = Counter(p.country for p in people)
    assert len(delegations) == countries
    assert set(delegations) <= set(ISO_COUNTRIES)
    assert {p.region for p in people} == {"africa_middle_east", "asia_oceania", "americas", "europe"}
    if participants >= 100:
        assert max(delegations.values()) >= 3 * statistics.median(delegations.values())

    # Sessions: weekdays at 09:00, 11:00, 14:00 or 16:00 in Geneva, two hours, co-facilitated.
    for session in schedule.sessions:
        local = session.start.astimezone(TZ)
        assert local.hour in (9, 11, 14, 16) and local.weekday() < 5
        assert session.end - session.start == timedelta(hours=2)
        assert session.required == 2 and session.section in SECTION_NUMBERS

    # Facilitators: all speak English, many Spanish or French; 1–3 sections of expertise;
    # about 20 % available for only some sessions.
    staff = schedule.facilitators
    assert all("en" in f.languages for f in staff)
    assert sum(1 for f in staff if f.languages & {"es", "fr"}) >= len(staff) / 3
    assert all(1 <= len(f.expertise) <= 3 and f.expertise <= SECTION_NUMBERS for f in staff)
    restricted = [f for f in staff if f.availability]
    assert len(restricted) == min(round(0.2 * facilitators), facilitators - 2 * max(groups, sessions))
    for f in restricted:
        available = [s for s in schedule.sessions if f.is_available(s.start, s.end)]
        assert 0 < len(available) < sessions

    # Feasible: only "not placed yet" and "not staffed yet" are broken, and a naive solution meets every rule.
    assert {problem.rule for problem in schedule_check(schedule)} == {Rule.ONE_GROUP, Rule.STAFFING}
    assert schedule_check(solve_naively(schedule)) == []


def test_the_generator_refuses_impossible_sizes():
    with pytest.raises(ValueError, match="at least 20 facilitators"):
        generate(groups=10, facilitators=12)
    with pytest.raises(ValueError, match="at most 60 countries"):
        generate(participants=60, countries=61)


def test_store_and_export_round_trip():
    schedule = solve_naively(generate())
    assert not Section.objects.exists()  # sections the curriculum lacks are created
    workshop = schedule_store(schedule=schedule, slug="round-trip", title="Round trip")

    assert workshop.is_published is False
    assert schedule_check(schedule_load(workshop=workshop)) == []
    assert Section.objects.filter(number__in={s.section for s in schedule.sessions}).count() == len(schedule.sessions)

    data = json.loads(json.dumps(schedule_export(workshop=workshop)))
    assert set(data) == {"workshop", "rooms", "groups", "participants", "facilitators", "sessions"}
    assert data["workshop"] == {
        "slug": "round-trip",
        "title": "Round trip",
        "start_date": "2030-10-07",
        "end_date": "2030-10-07",
        "timezone": "Europe/Zurich",
    }
    counts = {key: len(data[key]) for key in ("rooms", "groups", "participants", "facilitators", "sessions")}
    assert counts == {"rooms": 3, "groups": 3, "participants": 60, "facilitators": 8, "sessions": 3}

    rooms = {r["id"]: r for r in data["rooms"]}
    assert all(set(r) == {"id", "name", "capacity", "languages", "interpretation"} for r in rooms.values())
    assert sorted((r["name"], r["capacity"], tuple(r["languages"]), r["interpretation"]) for r in rooms.values()) == [
        (r.name, r.capacity, ("en", "es", "fr") if len(r.languages) == 3 else ("en",), len(r.languages) == 3)
        for r in schedule.rooms
    ]

    groups = {g["id"]: g for g in data["groups"]}
    assert all(set(g) == {"id", "name", "room", "participants"} for g in groups.values())
    assert {g["room"] for g in groups.values()} == set(rooms)
    people = {p["id"]: p for p in data["participants"]}
    for p in people.values():
        assert set(p) == {"id", "name", "languages", "country", "region", "organisation", "gender", "group"}
        assert p["id"] in groups[p["group"]]["participants"]
    assert sum(len(g["participants"]) for g in groups.values()) == len(people)
    assert sorted((p["name"], p["country"], p["region"], p["organisation"], p["gender"]) for p in people.values()) == (
        sorted((p.name, p.country, p.region, p.organisation, p.gender) for p in schedule.participants)
    )
    assert Counter(frozenset(p["languages"]) for p in people.values()) == Counter(
        p.languages for p in schedule.participants
    )

    facilitators = {f["id"]: f for f in data["facilitators"]}
    for f in facilitators.values():
        assert set(f) == {"id", "name", "languages", "expertise", "availability"}
        for start, end in f["availability"]:
            assert start.endswith("+02:00") and datetime.fromisoformat(start) < datetime.fromisoformat(end)
    assert sorted((f["name"], frozenset(f["expertise"]), len(f["availability"])) for f in facilitators.values()) == (
        sorted((f.name, f.expertise, len(f.availability)) for f in schedule.facilitators)
    )

    for session, spec in zip(data["sessions"], schedule.sessions, strict=True):
        assert set(session) == {"id", "title", "start", "end", "section", "required", "groups"}
        assert (session["title"], session["section"], session["required"]) == (spec.title, spec.section, 2)
        assert datetime.fromisoformat(session["start"]) == spec.start
        assert session["start"].endswith("+02:00") and datetime.fromisoformat(session["end"]) == spec.end
        assert [g["group"] for g in session["groups"]] == list(groups)
        for team in session["groups"]:
            assert len(team["facilitators"]) == 2 and set(team["facilitators"]) <= set(facilitators)


def test_store_is_fast_enough_for_a_large_event():
    schedule = generate(participants=3000, groups=100, sessions=6, facilitators=250, countries=150)
    started = datetime.now()
    workshop = schedule_store(schedule=schedule, slug="large", title="Large")
    assert datetime.now() - started < timedelta(seconds=10)
    assert workshop.participants.count() == 3000 and Availability.objects.count() == 50
    assert len({email.lower() for email in Participant.objects.values_list("email", flat=True)}) == 3000


def test_export_takes_the_same_number_of_queries_whatever_the_size():
    small = schedule_store(schedule=solve_naively(generate(20, 2, 2, 4, 10)), slug="small", title="Small")
    large = schedule_store(schedule=solve_naively(generate(300, 10, 4, 30, 50)), slug="large", title="Large")
    counts = []
    for workshop in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            schedule_export(workshop=workshop)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 8


def broken_workshop():
    """Group A has 3 participants in a room of 2, and Rosa Ortiz facilitates it in both sessions."""
    workshop = factories.workshop(slug="broken")
    group = factories.group(workshop, room_obj=factories.room(workshop, name="Room A", capacity=2), name="A")
    for _ in range(3):
        factories.participant(workshop, group=group)
    rosa = factories.facilitator(workshop, name="Rosa Ortiz")
    for hour in (9, 14):
        factories.assignment(rosa, factories.session(workshop, start_hour=hour, facilitators_required=1), group)
    return workshop


def sound_workshop():
    workshop = factories.workshop(slug="sound")
    group = factories.group(workshop, name="A")
    factories.participant(workshop, group=group)
    factories.assignment(factories.facilitator(workshop), factories.session(workshop, facilitators_required=1), group)
    return workshop


def test_check_schedule_lists_every_broken_rule_and_fails():
    broken_workshop()
    out = StringIO()
    with pytest.raises(CommandError, match=r"^2 problems found\.$") as raised:
        call_command("check_schedule", "broken", stdout=out)
    assert raised.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "Capacity: Group A has 3 participants but Room A seats 2.",
        "Rotation: Rosa Ortiz visits Group A 2 times; each group should get new facilitators.",
    ]


def test_check_schedule_says_when_every_rule_is_met():
    sound_workshop()
    out = StringIO()
    call_command("check_schedule", "sound", stdout=out)
    assert out.getvalue() == "Every rule is met.\n"


def test_check_schedule_exit_status(monkeypatch, capsys):
    """What `manage.py check_schedule SLUG` returns to the shell: 0, or 1 with the count on stderr."""
    monkeypatch.setattr(base.connections, "close_all", lambda: None)  # keep the test's connection open
    sound_workshop()
    broken_workshop()
    CheckSchedule().run_from_argv(["manage.py", "check_schedule", "sound"])  # returns: exit status 0
    with pytest.raises(SystemExit) as exited:
        CheckSchedule().run_from_argv(["manage.py", "check_schedule", "broken"])
    assert exited.value.code == 1
    assert capsys.readouterr().err == "CommandError: 2 problems found.\n"


def test_check_and_export_refuse_an_unknown_workshop():
    for command in ("check_schedule", "export_schedule"):
        with pytest.raises(CommandError, match="No workshop has the short name “nowhere”"):
            call_command(command, "nowhere")


def test_export_schedule_prints_the_json():
    workshop = broken_workshop()
    out = StringIO()
    call_command("export_schedule", "broken", "--indent", "2", stdout=out)
    assert out.getvalue().startswith('{\n  "workshop": {')
    assert json.loads(out.getvalue()) == json.loads(json.dumps(schedule_export(workshop=workshop)))


def test_generate_workshop_creates_what_was_asked_and_refuses_a_taken_slug():
    arguments = ["--participants", "120", "--groups", "6", "--sessions", "3", "--facilitators", "14", "--seed", "5"]
    out = StringIO()
    call_command("generate_workshop", *arguments, stdout=out)
    workshop = Workshop.objects.get(slug="generated-120-seed-5")
    assert out.getvalue().startswith("Created the workshop “generated-120-seed-5” (not published):\n")
    assert "  participants: 120, from 20 countries;" in out.getvalue()  # default: 120 // 6
    assert "Generated in " in out.getvalue()
    assert Room.objects.filter(workshop=workshop).count() == 6
    assert Group.objects.filter(workshop=workshop).count() == 6
    assert BreakoutSession.objects.filter(workshop=workshop).count() == 3
    assert Facilitator.objects.filter(workshop=workshop).count() == 14
    participants = Participant.objects.filter(workshop=workshop)
    assert participants.count() == 120 and participants.values("country").distinct().count() == 20
    assert not participants.filter(group__isnull=False).exists() and not Assignment.objects.exists()

    with pytest.raises(CommandError, match="already exists; choose another with --slug"):
        call_command("generate_workshop", *arguments, stdout=StringIO())
    assert Participant.objects.count() == 120

    call_command("generate_workshop", *arguments, "--countries", "7", "--slug", "other", stdout=StringIO())
    assert Participant.objects.filter(workshop__slug="other").values("country").distinct().count() == 7


def test_generate_workshop_explains_impossible_sizes():
    with pytest.raises(CommandError, match="need at least 20 facilitators"):
        call_command("generate_workshop", "--participants", "50", "--groups", "10", "--sessions", "2",
                     "--facilitators", "12", stdout=StringIO())  # fmt: skip
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("name", ["generate_workshop", "check_schedule", "export_schedule"])
def test_the_commands_explain_themselves(name):
    from django.core.management import load_command_class

    text = load_command_class("workshops", name).create_parser("manage.py", name).format_help()
    assert "usage: manage.py " + name in text and "short name" in text.lower()
