"""Races over real HTTP on autosave: two tabs of one participant, and many participants, saving at once.

The harness (browsers, forcing the interleavings) is `live.py`; why and how, in its docstring.
SQLite runs one writer at a time, so these races cannot happen there: the tests are skipped.
"""

import threading

import pytest
from django.urls import reverse

import worksheets.services
import worksheets.views.participant
from tests import factories
from tests.concurrency.live import TIMEOUT, all_at_once, meet_before, participant_browser
from worksheets.models import Answer, Worksheet
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db(transaction=True)


def check_then_write(barrier: threading.Barrier):
    """The naive save the revision-checked UPDATE replaces: read, compare, then write the whole row.

    Everyone reads before anyone writes (the barrier), as happens when requests overlap.
    """

    def save(*, model, keys, values, base_revision):
        current = model.objects.filter(**keys).first()
        barrier.wait()
        if current is None or current.revision != base_revision:
            return False, 0, current
        for field, value in values.items():
            setattr(current, field, value)
        current.revision += 1
        current.save()
        return True, current.revision, None

    return save


def without_the_protection(monkeypatch, barrier: threading.Barrier):
    """The control's server: every save goes the naive way (no single-statement save, no revision-checked UPDATE)."""
    monkeypatch.setattr(worksheets.views.participant, "answer_autosave_direct", lambda **kwargs: None)
    monkeypatch.setattr(worksheets.services, "_save_if_current", check_then_write(barrier))


# --- (1) two tabs saving the same answer with the same base revision --------------------------


@pytest.fixture
def one_participant(server):
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    participant = factories.participant(workshop)
    browser = participant_browser(server, personal_link_path(person=participant), session.pk)
    worksheet = Worksheet.objects.get(participant=participant, session=session)  # made by the page
    return browser, worksheet, question, reverse("worksheets:autosave", args=[session.pk])


def two_tabs_save(browser, path, question, base):
    texts = ("from tab one", "from tab two")
    replies = all_at_once(
        *(
            lambda text=text: browser.post_json(path, {"question": question.pk, "text": text, "revision": base})
            for text in texts
        )
    )
    return dict(zip(texts, replies, strict=True))


@pytest.mark.parametrize("base", [0, 1], ids=["first-answer", "later-answer"])
def test_two_tabs_save_at_once_one_wins_the_other_gets_409_with_the_winners_text(one_participant, monkeypatch, base):
    browser, worksheet, question, path = one_participant
    if base:
        factories.answer(worksheet, question, text="before", revision=base)
    # Both requests are inside the server, past the login, before either saves.
    meet_before(
        worksheets.views.participant, "answer_autosave_direct", threading.Barrier(2, timeout=TIMEOUT), monkeypatch
    )

    replies = two_tabs_save(browser, path, question, base)

    assert sorted(reply.status for reply in replies.values()) == [200, 409]
    winner_text, winner = next((text, reply) for text, reply in replies.items() if reply.status == 200)
    loser_text, loser = next((text, reply) for text, reply in replies.items() if reply.status == 409)
    assert winner.json() == {"revision": base + 1}
    refused = loser.json()
    assert (refused["text"], refused["revision"]) == (winner_text, base + 1)  # the page can merge
    stored = Answer.objects.get(worksheet=worksheet, question=question)
    assert (stored.text, stored.revision) == (winner_text, base + 1)
    # Nothing is lost: the refused tab saves both texts on top of the winner's revision.
    merged = f"{winner_text} + {loser_text}"
    again = browser.post_json(path, {"question": question.pk, "text": merged, "revision": refused["revision"]})
    assert (again.status, again.json()) == (200, {"revision": base + 2})
    stored.refresh_from_db()
    assert (stored.text, stored.revision) == (merged, base + 2)


def test_control_check_then_write_over_http_tells_both_tabs_saved_and_loses_one(one_participant, monkeypatch):
    browser, worksheet, question, path = one_participant
    factories.answer(worksheet, question, text="before", revision=1)
    without_the_protection(monkeypatch, threading.Barrier(2, timeout=TIMEOUT))

    replies = two_tabs_save(browser, path, question, 1)

    assert [(reply.status, reply.json()) for reply in replies.values()] == [(200, {"revision": 2})] * 2
    stored = Answer.objects.get(worksheet=worksheet, question=question)
    assert stored.revision == 2 and stored.text in replies  # two saves reported, one revision
    lost = next(text for text in replies if text != stored.text)
    assert not Answer.objects.filter(text__contains=lost).exists()  # that tab's text is gone


# --- (2) many participants saving at once -----------------------------------------------------


def many_participants(live_server, count: int):
    workshop = factories.workshop()
    session = factories.session(workshop)
    question = factories.question(workshop)
    people = [factories.participant(workshop) for _ in range(count)]
    links = [personal_link_path(person=person) for person in people]  # here: the browsers only speak HTTP
    browsers = all_at_once(*(lambda link=link: participant_browser(live_server, link, session.pk) for link in links))
    return people, browsers, question, reverse("worksheets:autosave", args=[session.pk])


def test_thirty_participants_saving_at_once_every_request_succeeds_and_every_last_answer_is_stored(server, monkeypatch):
    """30 participants, 3 autosaves each, each carrying the revision the previous one returned.

    In each round all 30 requests are inside the server at the same moment (a 30-way barrier at
    the save). What this guards: saves of different people never block, fail or overwrite each
    other (one row per answer, no lock wider than it). A naive save would lose nothing here either,
    since no two of these requests share a row: the control for "many at once" is the one below,
    where each participant's two tabs overlap, and scenario (1)'s.
    """
    count, rounds = 30, 3
    people, browsers, question, path = many_participants(server, count)
    meet_before(
        worksheets.views.participant,
        "answer_autosave_direct",
        threading.Barrier(count, timeout=TIMEOUT),
        monkeypatch,
        rounds=rounds,
    )

    def participant(person, browser):
        statuses, revision = [], 0
        for round_ in range(1, rounds + 1):
            reply = browser.post_json(
                path, {"question": question.pk, "text": f"{person.pk}: {round_}", "revision": revision}
            )
            statuses.append(reply.status)
            revision = reply.json().get("revision", revision)
        return statuses, revision

    results = all_at_once(*(lambda p=p, b=b: participant(p, b) for p, b in zip(people, browsers, strict=True)))

    assert results == [([200] * rounds, rounds)] * count
    stored = {
        participant_id: (text, revision)
        for participant_id, text, revision in Answer.objects.filter(question=question).values_list(
            "worksheet__participant_id", "text", "revision"
        )
    }
    assert stored == {person.pk: (f"{person.pk}: {rounds}", rounds) for person in people}


def fifteen_participants_with_two_tabs(server):
    people, browsers, question, path = many_participants(server, 15)
    for person in people:
        factories.answer(Worksheet.objects.get(participant=person), question, text="before", revision=1)

    def tab(person, browser, number):
        text = f"{person.pk}: tab {number}"
        return person.pk, text, browser.post_json(path, {"question": question.pk, "text": text, "revision": 1})

    calls = [lambda p=p, b=b, n=n: tab(p, b, n) for p, b in zip(people, browsers, strict=True) for n in (1, 2)]
    return people, question, calls


def test_fifteen_participants_with_two_tabs_each_all_at_once_one_tab_wins_per_participant(server, monkeypatch):
    people, question, calls = fifteen_participants_with_two_tabs(server)
    meet_before(
        worksheets.views.participant,
        "answer_autosave_direct",
        threading.Barrier(len(calls), timeout=TIMEOUT),
        monkeypatch,
    )

    results = all_at_once(*calls)

    assert all(reply.status in (200, 409) for _, _, reply in results), [reply.status for _, _, reply in results]
    stored = dict(Answer.objects.filter(question=question).values_list("worksheet__participant_id", "text"))
    for person in people:
        mine = [(text, reply) for pk, text, reply in results if pk == person.pk]
        assert sorted(reply.status for _, reply in mine) == [200, 409]
        winner_text = next(text for text, reply in mine if reply.status == 200)
        refused = next(reply.json() for _, reply in mine if reply.status == 409)
        assert (refused["text"], refused["revision"]) == (winner_text, 2)
        assert stored[person.pk] == winner_text
    assert set(Answer.objects.filter(question=question).values_list("revision", flat=True)) == {2}


def test_control_fifteen_participants_two_tabs_check_then_write_every_tab_told_saved_fifteen_texts_lost(
    server, monkeypatch
):
    people, question, calls = fifteen_participants_with_two_tabs(server)
    without_the_protection(monkeypatch, threading.Barrier(len(calls), timeout=TIMEOUT))

    results = all_at_once(*calls)

    assert [(reply.status, reply.json()) for _, _, reply in results] == [(200, {"revision": 2})] * len(calls)
    stored = dict(Answer.objects.filter(question=question).values_list("worksheet__participant_id", "text"))
    told_saved = {text for _, text, _ in results}
    assert len(told_saved - set(stored.values())) == len(people)  # one tab's text per participant is gone
