"""Races on PostgreSQL: real threads, each with its own database connection, forced to interleave.

Each protection has a control test: the same interleaving without it (a naive read-modify-write,
an apply without the lock and the fingerprint, a check-then-insert) loses or undoes something.
SQLite serialises every writer, so these races cannot happen there: the tests are skipped (`conftest.py`).
"""

import threading
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from tests import factories
from worksheets.models import Answer, Worksheet
from worksheets.services import answer_autosave
from workshops.imports.services import people_import
from workshops.models import Assignment, Participant, ScheduleRun
from workshops.selectors import schedule_load
from workshops.services import StaleProposal, _fingerprint, facilitator_swap, schedule_run_apply

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registration"
TIMEOUT = 30


def in_threads(*functions):
    """Run each function in its own thread (and connection); return their results or exceptions, in order."""
    results = [None] * len(functions)

    def run(index, function):
        try:
            results[index] = function()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a thread is stuck: a deadlock?"
    return results


@pytest.fixture
def sheet():
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    worksheet = factories.worksheet(factories.participant(workshop), session)
    return worksheet, question


# --- (a) two tabs saving the same answer with the same base revision ----------------------------


@pytest.mark.parametrize("base", [0, 1], ids=["first-answer", "later-answer"])
def test_two_tabs_same_revision_one_wins_the_other_gets_the_winners_text(sheet, base):
    worksheet, question = sheet
    if base:
        factories.answer(worksheet, question, text="before", revision=base)
    barrier = threading.Barrier(2)

    def tab(text):
        def save():
            mine = Worksheet.objects.select_related("session__workshop").get(pk=worksheet.pk)
            barrier.wait()
            return answer_autosave(worksheet=mine, question=question, text=text, base_revision=base)

        return save

    first, second = in_threads(tab("from tab one"), tab("from tab two"))
    assert sorted([first.status, second.status]) == ["conflict", "saved"]
    winner, loser = (first, second) if first.status == "saved" else (second, first)
    winner_text = "from tab one" if winner is first else "from tab two"
    assert winner.revision == base + 1
    assert (loser.server_text, loser.revision) == (winner_text, base + 1)
    stored = Answer.objects.get(worksheet=worksheet, question=question)
    assert (stored.text, stored.revision) == (winner_text, base + 1)
    # Nothing lost: the refused tab has the winner's text and its own, and saves again on top.
    again = answer_autosave(
        worksheet=worksheet, question=question, text=winner_text + " + mine", base_revision=loser.revision
    )
    assert again.status == "saved"
    assert Answer.objects.get(worksheet=worksheet, question=question).text == winner_text + " + mine"


def test_control_naive_read_modify_write_loses_one_tabs_text(sheet):
    worksheet, question = sheet
    factories.answer(worksheet, question, text="before", revision=1)
    barrier = threading.Barrier(2)

    def naive(text):
        def save():
            answer = Answer.objects.get(worksheet=worksheet, question=question)  # both read revision 1
            barrier.wait()
            answer.text, answer.revision = text, answer.revision + 1
            answer.save()  # no revision check
            return "saved"

        return save

    assert in_threads(naive("from tab one"), naive("from tab two")) == ["saved", "saved"]
    stored = Answer.objects.get(worksheet=worksheet, question=question)
    assert stored.revision == 2  # two saves reported, one revision: one tab's text is gone
    assert stored.text in {"from tab one", "from tab two"}


# --- (b) many participants saving at once --------------------------------------------------------


def test_fifty_participants_saving_at_once_every_answer_stored():
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    sheets = [factories.worksheet(factories.participant(workshop), session) for _ in range(50)]
    barrier = threading.Barrier(len(sheets))

    def participant(worksheet_id):
        def save():
            mine = Worksheet.objects.select_related("session__workshop").get(pk=worksheet_id)
            barrier.wait()
            first = answer_autosave(worksheet=mine, question=question, text=f"{worksheet_id} one", base_revision=0)
            barrier.wait()
            second = answer_autosave(
                worksheet=mine, question=question, text=f"{worksheet_id} two", base_revision=first.revision
            )
            return first.status, second.status, second.revision

        return save

    results = in_threads(*(participant(s.pk) for s in sheets))
    assert results == [("saved", "saved", 2)] * len(sheets)
    stored = dict(Answer.objects.filter(question=question).values_list("worksheet_id", "text"))
    assert stored == {s.pk: f"{s.pk} two" for s in sheets}
    assert set(Answer.objects.filter(question=question).values_list("revision", flat=True)) == {2}


def test_control_fifty_naive_saves_of_one_shared_row_lose_updates():
    """What per-answer rows prevent: writers sharing one row without a revision check overwrite each other."""
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    worksheet = factories.worksheet(factories.participant(workshop), session)
    factories.answer(worksheet, question, text="", revision=1)
    barrier = threading.Barrier(50)

    def append(number):
        def save():
            answer = Answer.objects.get(worksheet=worksheet, question=question)
            barrier.wait()
            answer.text = (answer.text + f" {number}").strip()
            answer.save()

        return save

    in_threads(*(append(i) for i in range(50)))
    assert len(Answer.objects.get(worksheet=worksheet, question=question).text.split()) == 1  # 49 lost


# --- (c) a rotation applied while a facilitator is swapped by hand -------------------------------


@pytest.fixture
def rotation():
    """Two groups, one session, two facilitators; a proposal made before anyone swaps by hand."""
    workshop = factories.workshop()
    session = factories.session(workshop)
    first, second = factories.group(workshop, name="A"), factories.group(workshop, name="B")
    anna, ben = factories.facilitator(workshop), factories.facilitator(workshop)
    factories.assignment(anna, session, first)
    factories.assignment(ben, session, second)
    run = ScheduleRun.objects.create(
        workshop=workshop,
        kind=ScheduleRun.Kind.ROTATION,
        status=ScheduleRun.Status.DONE,
        proposal={
            "assignments": [[anna.pk, session.pk, first.pk, False], [ben.pk, session.pk, second.pk, False]],
            "fingerprint": _fingerprint(schedule_load(workshop=workshop), ScheduleRun.Kind.ROTATION),
        },
    )
    return workshop, session, run, anna, ben, first, second


def assignments(session):
    return sorted(Assignment.objects.filter(session=session).values_list("facilitator_id", "group_id", "locked"))


def test_swap_holding_the_workshop_makes_the_apply_wait_then_refuse(rotation):
    workshop, session, run, anna, ben, first, second = rotation
    swapped, release = threading.Event(), threading.Event()
    order = []

    def swap():
        with transaction.atomic():
            facilitator_swap(session=session, first=anna, second=ben)
            swapped.set()
            release.wait(TIMEOUT)  # the apply starts while this transaction still holds the workshop
        order.append("swap committed")

    def apply():
        swapped.wait(TIMEOUT)
        timer = threading.Timer(0.5, release.set)  # let the apply reach the lock, then commit the swap
        timer.start()
        try:
            return schedule_run_apply(run=ScheduleRun.objects.get(pk=run.pk))
        except StaleProposal:
            order.append("apply refused")
            raise
        finally:
            timer.cancel()
            release.set()

    _, applied = in_threads(swap, apply)
    assert isinstance(applied, StaleProposal)
    assert order == ["swap committed", "apply refused"]  # the apply waited for the swap's transaction
    assert assignments(session) == sorted([(anna.pk, second.pk, True), (ben.pk, first.pk, True)])
    assert ScheduleRun.objects.get(pk=run.pk).status == ScheduleRun.Status.DONE  # not applied


def test_apply_holding_the_workshop_makes_the_swap_wait_and_the_swap_stays(rotation):
    workshop, session, run, anna, ben, first, second = rotation
    applied, release = threading.Event(), threading.Event()
    order = []

    def apply():
        with transaction.atomic():
            changed = schedule_run_apply(run=ScheduleRun.objects.get(pk=run.pk))
            applied.set()
            release.wait(TIMEOUT)
        order.append("apply committed")
        return changed

    def swap():
        applied.wait(TIMEOUT)
        timer = threading.Timer(0.5, release.set)
        timer.start()
        try:
            problems = facilitator_swap(session=session, first=anna, second=ben)
            order.append("swap done")
            return problems
        finally:
            timer.cancel()
            release.set()

    changed, problems = in_threads(apply, swap)
    assert changed == 4 and not isinstance(problems, Exception)  # 2 removed, 2 created
    assert order == ["apply committed", "swap done"]  # the swap waited for the apply's transaction
    # The hand-made swap came last and is what stands, locked against later runs.
    assert assignments(session) == sorted([(anna.pk, second.pk, True), (ben.pk, first.pk, True)])


def test_control_apply_without_lock_or_fingerprint_undoes_the_swap(rotation):
    workshop, session, run, anna, ben, first, second = rotation
    read = threading.Barrier(2)
    swapped = threading.Event()

    def naive_apply():
        proposal = ScheduleRun.objects.get(pk=run.pk).proposal["assignments"]  # read before the swap
        read.wait()
        swapped.wait(TIMEOUT)
        with transaction.atomic():
            Assignment.objects.filter(session__workshop=workshop).delete()
            Assignment.objects.bulk_create(
                Assignment(facilitator_id=f, session_id=s, group_id=g, locked=locked) for f, s, g, locked in proposal
            )

    def swap():
        read.wait()
        facilitator_swap(session=session, first=anna, second=ben)
        swapped.set()

    in_threads(naive_apply, swap)
    # The swap was committed and reported to the organiser, yet the old rotation is back.
    assert assignments(session) == sorted([(anna.pk, first.pk, False), (ben.pk, second.pk, False)])


# --- (d) an import run twice at once -------------------------------------------------------------


def test_the_same_import_twice_at_once_creates_nobody_twice():
    workshop = factories.workshop()
    content = (FIXTURES / "registro_es.csv").read_bytes()
    barrier = threading.Barrier(2)

    def run_import():
        barrier.wait()
        return people_import(workshop=workshop, content=content, dry_run=False)

    reports = in_threads(run_import, run_import)
    assert not any(isinstance(r, Exception) for r in reports), reports
    assert any(r.applied for r in reports)
    emails = list(Participant.objects.filter(workshop=workshop).values_list("email", flat=True))
    assert len(emails) == 6 and len({e.lower() for e in emails}) == 6
    for report in reports:  # the other one either found them all (after) or was refused whole
        assert report.applied or report.counts["new"] == 0 or report.blocked


def test_control_check_then_insert_races_and_only_the_constraint_stops_the_duplicate():
    workshop = factories.workshop()
    barrier = threading.Barrier(2)

    def naive_import():
        exists = Participant.objects.filter(workshop=workshop, email__iexact="ana@example.org").exists()
        barrier.wait()  # both have checked: neither saw the other
        if exists:
            return "skipped"
        with transaction.atomic():
            factories.participant(workshop, email="ana@example.org")
        return "created"

    results = in_threads(naive_import, naive_import)
    # Both checks said "absent"; without the unique constraint there would be two Anas.
    assert sorted(type(r).__name__ if isinstance(r, Exception) else r for r in results) == [
        "IntegrityError",
        "created",
    ]
    assert isinstance(next(r for r in results if isinstance(r, Exception)), IntegrityError)
    assert Participant.objects.filter(workshop=workshop).count() == 1
