"""The group's summary for the report-back: who names the rapporteur, who volunteers, writes and reads; no loss."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import GroupSummary
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1), timezone="America/Santiago")
    a = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    b = f.group(workshop, name="B", room_obj=f.room(workshop, name="Room B"))
    session = f.session(workshop, title="Labour")
    ana, bo = (f.participant(workshop, name=n, group=a) for n in ("Ana", "Bo"))
    cy = f.participant(workshop, name="Cy", group=b)
    unplaced = f.participant(workshop, name="Unplaced")
    fa, fb = f.facilitator(workshop, name="Fay"), f.facilitator(workshop, name="Gus")
    f.assignment(fa, session, a)
    f.assignment(fb, session, b)
    elsewhere = f.workshop()
    stranger = f.participant(elsewhere, name="Stranger", group=f.group(elsewhere))
    return {
        "workshop": workshop,
        "a": a,
        "b": b,
        "session": session,
        "ana": ana,
        "bo": bo,
        "cy": cy,
        "unplaced": unplaced,
        "fa": fa,
        "fb": fb,
        "stranger": stranger,
    }


def sign_in(client, person):
    client.logout()
    assert client.get(personal_link_path(person=person)).status_code == 302


def _url(name, session):
    return reverse(f"worksheets:{name}", args=[session.pk])


def save(client, session, text, revision):
    return client.post(
        _url("summary_autosave", session),
        json.dumps({"text": text, "revision": revision}),
        content_type="application/json",
    )


def summary(world):
    return GroupSummary.objects.filter(session=world["session"], group=world["a"]).first()


def test_participant_volunteers_when_nobody_is_named_and_then_writes(client, world):
    sign_in(client, world["ana"])
    response = client.post(_url("rapporteur", world["session"]), {"action": "volunteer"})
    assert response.status_code == 302
    assert (summary(world).rapporteur, summary(world).rapporteur_volunteered) == (world["ana"], True)
    page = client.get(_url("summary", world["session"])).content.decode()
    assert 'data-editable="true"' in page and "Withdraw" in page
    assert save(client, world["session"], "We agreed on three points.", 0).json() == {"revision": 1}
    stored = summary(world)
    assert (stored.text, stored.revision, stored.updated_by_participant, stored.updated_by_facilitator) == (
        "We agreed on three points.",
        1,
        world["ana"],
        None,
    )


def test_a_second_volunteer_never_replaces_the_first(client, world):
    sign_in(client, world["ana"])
    client.post(_url("rapporteur", world["session"]), {"action": "volunteer"})
    sign_in(client, world["bo"])
    response = client.post(_url("rapporteur", world["session"]), {"action": "volunteer"}, follow=True)
    assert "Someone is already your group" in response.content.decode()
    assert summary(world).rapporteur == world["ana"]


def test_the_rest_of_the_group_reads_the_summary_but_cannot_write_it(client, world):
    GroupSummary.objects.create(
        session=world["session"], group=world["a"], rapporteur=world["ana"], text="Our summary", revision=3
    )
    sign_in(client, world["bo"])
    page = client.get(_url("summary", world["session"])).content.decode()
    assert "Our summary" in page and 'data-editable="false"' in page and "readonly" in page
    assert "Rapporteur: Ana" in page and "Volunteer as rapporteur" not in page
    response = save(client, world["session"], "Bo's takeover", 3)
    assert response.status_code == 403
    assert summary(world).text == "Our summary"


def test_participants_of_other_groups_never_see_the_summary(client, world):
    GroupSummary.objects.create(
        session=world["session"], group=world["a"], rapporteur=world["ana"], text="Group A only"
    )
    sign_in(client, world["cy"])  # group B: the address shows B's (empty) summary, never A's
    page = client.get(_url("summary", world["session"])).content.decode()
    assert "Group A only" not in page and "Nobody is your group" in page
    assert save(client, world["session"], "Cy writes", 0).status_code == 403  # not B's rapporteur either
    assert summary(world).text == "Group A only"


@pytest.mark.parametrize("who", ["unplaced", "stranger"])
def test_without_a_group_or_from_another_workshop_is_404(client, world, who):
    sign_in(client, world[who])
    assert client.get(_url("summary", world["session"])).status_code == 404
    assert client.post(_url("rapporteur", world["session"]), {"action": "volunteer"}).status_code == 404
    assert save(client, world["session"], "x", 0).status_code == 404
    assert not GroupSummary.objects.exists()


def test_withdraw_only_ones_own_volunteering(client, world):
    sign_in(client, world["ana"])
    client.post(_url("rapporteur", world["session"]), {"action": "volunteer"})
    save(client, world["session"], "Kept for the group", 0)
    sign_in(client, world["bo"])
    client.post(_url("rapporteur", world["session"]), {"action": "withdraw"})
    assert summary(world).rapporteur == world["ana"]  # Bo cannot withdraw Ana
    sign_in(client, world["ana"])
    client.post(_url("rapporteur", world["session"]), {"action": "withdraw"})
    assert (summary(world).rapporteur, summary(world).text) == (None, "Kept for the group")
    assert save(client, world["session"], "After withdrawing", 1).status_code == 403


def test_a_rapporteur_named_by_the_facilitators_cannot_withdraw_themselves(client, world):
    sign_in(client, world["fa"])
    client.post(_url("rapporteur", world["session"]), {"participant": world["bo"].pk})
    sign_in(client, world["bo"])
    assert "Withdraw" not in client.get(_url("summary", world["session"])).content.decode()
    response = client.post(_url("rapporteur", world["session"]), {"action": "withdraw"}, follow=True)
    assert "ask them to name someone else" in response.content.decode()
    assert summary(world).rapporteur == world["bo"]


def test_facilitator_names_replaces_and_clears_the_rapporteur(client, world):
    sign_in(client, world["ana"])
    client.post(_url("rapporteur", world["session"]), {"action": "volunteer"})
    sign_in(client, world["fa"])
    response = client.post(_url("rapporteur", world["session"]), {"participant": world["bo"].pk})
    assert response.status_code == 302 and response["Location"].endswith("#summary-heading")
    assert (summary(world).rapporteur, summary(world).rapporteur_volunteered) == (world["bo"], False)
    client.post(_url("rapporteur", world["session"]), {"participant": ""})
    assert summary(world).rapporteur is None


def test_facilitator_may_name_only_a_participant_of_the_group(client, world):
    sign_in(client, world["fa"])
    for outsider in (world["cy"], world["stranger"], world["unplaced"]):
        assert client.post(_url("rapporteur", world["session"]), {"participant": outsider.pk}).status_code == 404
    assert client.post(_url("rapporteur", world["session"]), {"participant": "x"}).status_code == 404
    assert not GroupSummary.objects.filter(rapporteur__isnull=False).exists()


def test_facilitator_of_another_group_or_session_cannot_name_or_write(client, world):
    other_session = f.session(world["workshop"], title="Later", start_hour=15)
    sign_in(client, world["fb"])  # visits B, not A: the address reaches B's summary only
    client.post(_url("rapporteur", world["session"]), {"participant": world["ana"].pk})
    assert summary(world) is None
    sign_in(client, world["fa"])
    assert client.post(_url("rapporteur", other_session), {"participant": world["ana"].pk}).status_code == 404
    assert save(client, other_session, "x", 0).status_code == 404


def test_facilitator_sees_and_edits_the_rapporteurs_summary_on_the_session_page(client, world):
    GroupSummary.objects.create(
        session=world["session"], group=world["a"], rapporteur=world["ana"], text="Ana's draft", revision=2
    )
    sign_in(client, world["fa"])
    page = client.get(reverse("worksheets:assignment", args=[world["session"].pk])).content.decode()
    assert "Ana&#x27;s draft" in page and 'id="summary-save-state"' in page
    assert f'<option value="{world["ana"].pk}" selected>Ana</option>' in page
    assert save(client, world["session"], "Ana's draft, tidied", 2).json() == {"revision": 3}
    stored = summary(world)
    assert (stored.text, stored.updated_by_facilitator, stored.updated_by_participant) == (
        "Ana's draft, tidied",
        world["fa"],
        None,
    )
    sign_in(client, world["ana"])
    assert "Last written by Fay" in client.get(_url("summary", world["session"])).content.decode()


def test_stale_summary_write_is_refused_with_the_other_text(client, world):
    sign_in(client, world["fa"])
    client.post(_url("rapporteur", world["session"]), {"participant": world["ana"].pk})
    sign_in(client, world["ana"])
    assert save(client, world["session"], "Ana's version", 0).status_code == 200
    sign_in(client, world["fa"])
    response = save(client, world["session"], "Fay's version, typed on the old page", 0)
    assert response.status_code == 409
    assert response.json()["text"] == "Ana's version" and response.json()["revision"] == 1
    assert summary(world).text == "Ana's version"
    assert save(client, world["session"], "Fay's version, kept knowingly", 1).status_code == 200


def test_a_replaced_rapporteur_is_refused_and_nothing_is_overwritten(client, world):
    sign_in(client, world["ana"])
    client.post(_url("rapporteur", world["session"]), {"action": "volunteer"})
    save(client, world["session"], "First draft", 0)
    sign_in(client, world["fa"])
    client.post(_url("rapporteur", world["session"]), {"participant": world["bo"].pk})
    sign_in(client, world["ana"])
    response = save(client, world["session"], "Ana again", 1)
    assert response.status_code == 403
    assert summary(world).text == "First draft"


def test_summary_bad_input(client, world):
    sign_in(client, world["fa"])
    url = _url("summary_autosave", world["session"])
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert save(client, world["session"], "x", "one").status_code == 400
    assert save(client, world["session"], "x" * 20001, 0).status_code == 400
    sign_in(client, world["ana"])
    assert client.post(_url("rapporteur", world["session"]), {"action": "take-over"}).status_code == 400


def test_signed_out_autosave_says_so(client, world):
    response = save(client, world["session"], "x", 0)
    assert response.status_code == 403 and response.json()["signed_out"] is True


def test_the_summary_is_not_a_worksheet_and_shows_no_answer(client, world):
    question = f.question(world["workshop"], text="Response in substance")
    f.answer(f.worksheet(world["bo"], world["session"], sharing=Sharing.NAMED), question, text="Bo's own thought")
    GroupSummary.objects.create(session=world["session"], group=world["a"], rapporteur=world["ana"], text="Summary")
    sign_in(client, world["ana"])
    page = client.get(_url("summary", world["session"])).content.decode()
    assert "Bo&#x27;s own thought" not in page and "Bo's own thought" not in page


def test_my_day_and_the_worksheet_offer_to_volunteer_then_name_the_rapporteur(client, world):
    sign_in(client, world["bo"])
    assert "Volunteer as rapporteur" in client.get(reverse("worksheets:my_day")).content.decode()
    worksheet_page = client.get(reverse("worksheets:worksheet", args=[world["session"].pk])).content.decode()
    assert "Volunteer as rapporteur" in worksheet_page
    GroupSummary.objects.create(session=world["session"], group=world["a"], rapporteur=world["ana"])
    my_day = client.get(reverse("worksheets:my_day")).content.decode()
    assert "Rapporteur: Ana" in my_day and "Volunteer as rapporteur" not in my_day


def test_summary_pages_in_spanish_and_french(client, world):
    sign_in(client, world["bo"])
    for language, phrase in (("es", "Ofrecerme como relator"), ("fr", "Me proposer comme rapporteur")):
        with override(language):
            url = _url("summary", world["session"])
        assert phrase in client.get(url).content.decode()


def test_my_day_queries_constant_with_summaries(client, world):
    sign_in(client, world["ana"])
    url = reverse("worksheets:my_day")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for hour in (14, 16, 18):
        session = f.session(world["workshop"], start_hour=hour)
        GroupSummary.objects.create(session=session, group=world["a"], rapporteur=world["bo"], text="t")
        GroupSummary.objects.create(session=session, group=world["b"], rapporteur=world["cy"], text="t")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def _kept_keys(html):
    found = re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1)) if found else None


def test_signing_out_clears_the_summary_text_kept_in_this_browser(client, world):
    """On a shared computer, unsent summary text is cleared with the rest of the person's kept text."""
    GroupSummary.objects.create(session=world["session"], group=world["a"], rapporteur=world["ana"])
    GroupSummary.objects.create(session=world["session"], group=world["b"], rapporteur=world["cy"])  # not theirs
    key = f"summary-{world['session'].pk}-{world['a'].pk}"
    sign_in(client, world["ana"])
    assert f'data-storage-key="{key}"' in client.get(_url("summary", world["session"])).content.decode()
    for person in (world["ana"], world["fa"]):
        sign_in(client, person)
        keys = _kept_keys(client.post(reverse("worksheets:sign_out")).content.decode())
        assert [k for k in keys if k.startswith("summary-")] == [key]
