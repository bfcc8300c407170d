"""My day, the worksheet page, autosave with revisions, submit and sharing; nothing leaks."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from worksheets.enums import QuestionKind, Sharing, WorksheetStatus
from worksheets.models import Answer, Worksheet
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    group = f.group(workshop, name="C")
    session = f.session(workshop, title="Counter-Trafficking")
    text_q = f.question(workshop, text="What is your response to the substance?")
    scale_q = f.question(workshop, text="How useful?", kind=QuestionKind.SCALE)
    me = f.participant(workshop, name="Ana Me", group=group)
    other = f.participant(workshop, name="Bo Other", group=group)
    return {"workshop": workshop, "session": session, "text_q": text_q, "scale_q": scale_q, "me": me, "other": other}


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def autosave(client, session, payload):
    return client.post(
        reverse("worksheets:autosave", args=[session.pk]), json.dumps(payload), content_type="application/json"
    )


def test_my_day_shows_group_room_sessions_and_facilitators(client, world):
    facilitator = f.facilitator(world["workshop"], name="Lucía Facilitator")
    f.assignment(facilitator, world["session"], world["me"].group)
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:my_day")).content.decode()
    for text in ("Ana Me", "Counter-Trafficking", "Lucía Facilitator", "interpretation available", "Not started"):
        assert text in page


def test_anonymous_visitor_is_asked_for_their_link(client, world):
    response = client.get(reverse("worksheets:my_day"))
    assert response.status_code == 403
    assert "Open your personal link" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/es/me/worksheets/{session}/"),
        ("get", "/es/me/sessions/{session}/"),
        ("get", "/es/me/rotation.ics"),
        ("get", "/es/me/worksheets.pdf"),
        ("post", "/es/me/worksheets/{session}/status/"),
        ("post", "/es/me/email-copy/"),
    ],
)
def test_personal_page_asked_after_signing_out_explains_how_to_open_the_link(client, world, method, path):
    # Back or reload after "Sign out": the page that says how to get back in, in the page's language,
    # whether or not the object named exists (nothing about it is told).
    sign_in(client, world["me"])
    client.post(reverse("worksheets:sign_out"))
    for session_id in (world["session"].pk, world["session"].pk + 1000):
        response = getattr(client, method)(path.format(session=session_id))
        assert response.status_code == 403
        assert [t.name for t in response.templates][0] == "worksheets/not_signed_in.html"
        assert "Abra su enlace personal" in response.content.decode()


def test_personal_page_of_someone_else_is_not_found_for_a_signed_in_person(client, world):
    other_workshop_session = f.session(f.workshop(), title="Elsewhere")
    sign_in(client, world["me"])
    assert client.get(f"/es/me/worksheets/{other_workshop_session.pk}/").status_code == 404
    assert client.get("/es/me/rotation.ics").status_code == 404  # a participant has no rotation


def test_autosave_saves_and_bumps_the_revision(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    first = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "Hola", "revision": 0})
    assert first.status_code == 200 and first.json() == {"revision": 1}
    second = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "Hola mundo", "revision": 1})
    assert second.json() == {"revision": 2}
    answer = Answer.objects.get(question=world["text_q"])
    assert (answer.text, answer.revision) == ("Hola mundo", 2)
    page = client.get(reverse("worksheets:worksheet", args=[world["session"].pk])).content.decode()
    assert "Hola mundo" in page


def test_autosave_stale_revision_is_refused_with_both_versions(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    autosave(client, world["session"], {"question": world["text_q"].pk, "text": "from the laptop", "revision": 0})
    autosave(client, world["session"], {"question": world["text_q"].pk, "text": "laptop, edited", "revision": 1})
    stale = autosave(
        client, world["session"], {"question": world["text_q"].pk, "text": "from the phone", "revision": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["text"] == "laptop, edited"
    assert stale.json()["revision"] == 2
    assert Answer.objects.get(question=world["text_q"]).text == "laptop, edited"
    # The person chooses "keep mine": the page re-sends on the server's revision.
    kept = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "from the phone", "revision": 2})
    assert kept.json() == {"revision": 3}


def test_two_first_saves_conflict_instead_of_overwriting(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    autosave(client, world["session"], {"question": world["text_q"].pk, "text": "tab one", "revision": 0})
    second = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "tab two", "revision": 0})
    assert second.status_code == 409
    assert second.json()["text"] == "tab one"


@pytest.mark.parametrize(
    "payload_of,status",
    [
        (lambda w: {"question": w["text_q"].pk, "text": "x" * 20_001, "revision": 0}, 400),
        (lambda w: {"question": w["scale_q"].pk, "scale": 6, "revision": 0}, 400),
        (lambda w: {"question": w["scale_q"].pk, "scale": "5", "revision": 0}, 400),
        (lambda w: {"question": w["text_q"].pk, "text": ["list"], "revision": 0}, 400),
        (lambda w: {"question": w["text_q"].pk, "text": "x", "revision": "one"}, 400),
        (lambda w: {"question": 999999, "text": "x", "revision": 0}, 400),
        (lambda w: {"text": "x"}, 400),
    ],
    ids=["too-long", "scale-6", "scale-string", "text-list", "revision-text", "unknown-question", "no-question"],
)
def test_autosave_bad_input_is_refused_and_changes_nothing(client, world, payload_of, status):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    response = autosave(client, world["session"], payload_of(world))
    assert response.status_code == status
    assert response.json()["error"]
    assert Answer.objects.count() == 0


def test_autosave_question_of_another_workshop_is_refused(client, world):
    foreign = f.question(f.workshop())
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    response = autosave(client, world["session"], {"question": foreign.pk, "text": "x", "revision": 0})
    assert response.status_code == 400
    assert Answer.objects.count() == 0


def test_participant_cannot_read_or_write_another_participants_worksheet(client, world):
    theirs = f.worksheet(world["other"], world["session"])
    f.answer(theirs, world["text_q"], text="Bo's private thoughts")
    sign_in(client, world["me"])
    page = client.get(reverse("worksheets:worksheet", args=[world["session"].pk])).content.decode()
    assert "Bo's private thoughts" not in page and "Bo&#x27;s private thoughts" not in page
    # My own worksheet is a new, empty one; theirs is untouched by my saves.
    autosave(client, world["session"], {"question": world["text_q"].pk, "text": "mine", "revision": 0})
    assert Answer.objects.get(worksheet=theirs).text == "Bo's private thoughts"
    # A session of another workshop: 404.
    foreign_session = f.session(f.workshop())
    assert client.get(reverse("worksheets:worksheet", args=[foreign_session.pk])).status_code == 404
    assert autosave(client, foreign_session, {"question": 1, "text": "x", "revision": 0}).status_code == 404


def test_participant_cannot_see_organiser_pages(client, world):
    sign_in(client, world["me"])
    response = client.get(reverse("admin:workshops_participant_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_closed_workshop_refuses_saves(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    world["workshop"].worksheets_open = False
    world["workshop"].save()
    response = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "late", "revision": 0})
    assert response.status_code == 403
    assert "closed" in response.json()["error"]
    assert Answer.objects.count() == 0


def test_submit_reopen_and_sharing(client, world):
    sign_in(client, world["me"])
    url = reverse("worksheets:worksheet", args=[world["session"].pk])
    client.get(url)
    status_url = reverse("worksheets:status", args=[world["session"].pk])
    client.post(status_url, {"action": "submit", "sharing": Sharing.ANONYMOUS})
    worksheet = Worksheet.objects.get(participant=world["me"])
    assert (worksheet.status, worksheet.sharing) == (WorksheetStatus.SUBMITTED, Sharing.ANONYMOUS)
    assert worksheet.submitted_at is not None
    refused = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "after", "revision": 0})
    assert refused.status_code == 403
    client.post(status_url, {"action": "reopen", "sharing": Sharing.ANONYMOUS})
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.DRAFT
    bad = client.post(status_url, {"action": "submit", "sharing": "everyone"}, follow=True)
    assert "Choose how to share this worksheet." in bad.content.decode()
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.DRAFT


def test_autosave_queries_do_not_grow_with_the_worksheet(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    autosave(client, world["session"], {"question": world["text_q"].pk, "text": "a", "revision": 0})

    def count(revision):
        with CaptureQueriesContext(connection) as ctx:
            response = autosave(
                client, world["session"], {"question": world["text_q"].pk, "text": "b", "revision": revision}
            )
        assert response.status_code == 200
        return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]

    small, _ = count(1)
    worksheet = Worksheet.objects.get(participant=world["me"])
    for _ in range(30):
        f.answer(worksheet, f.question(world["workshop"]), text="more")
    large, updates = count(2)
    assert large == small
    # The budget of the busiest request: the session, the user, one conditional UPDATE (its
    # EXISTS checks the worksheet's owner, session, workshop and question).
    assert small == 3
    assert len([u for u in updates if "worksheets_answer" in u]) == 1


def test_my_day_and_worksheet_queries_constant(client, world):
    sign_in(client, world["me"])
    pages = [reverse("worksheets:my_day"), reverse("worksheets:worksheet", args=[world["session"].pk])]
    for page in pages:
        client.get(page)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    small = [count(p) for p in pages]
    for hour in (13, 15, 17):
        f.session(world["workshop"], start_hour=hour)
    for _ in range(10):
        f.question(world["workshop"])
        f.facilitator(world["workshop"])
    assert [count(p) for p in pages] == small


def fill(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    autosave(
        client, world["session"], {"question": world["text_q"].pk, "text": "Миграция и труд: مرحبا", "revision": 0}
    )
    autosave(client, world["session"], {"question": world["scale_q"].pk, "scale": 4, "revision": 0})


def test_download_pdf_has_my_answers_only(client, world):
    import io

    from pypdf import PdfReader

    theirs = f.worksheet(world["other"], world["session"])
    f.answer(theirs, world["text_q"], text="Bo secret")
    fill(client, world)
    response = client.get(reverse("worksheets:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Ana Me", "Counter-Trafficking", "What is your response to the substance?", "Миграция", "4 / 5"):
        assert expected in text
    assert "Bo secret" not in text


def test_email_copy_sends_text_html_and_pdf_to_me(client, world):
    from django.core import mail

    fill(client, world)
    response = client.post(reverse("worksheets:email_copy"), follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world["me"].email]
    assert "Миграция и труд: مرحبا" in message.body
    assert "4 / 5" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Миграция и труд: مرحبا" in html
    assert message.attachments[0][0] == "worksheets.pdf"
    assert message.attachments[0][1].startswith(b"%PDF")


def test_email_copy_in_the_participants_language(client, world):
    from django.core import mail

    world["me"].preferred_language = "fr"
    world["me"].save()
    fill(client, world)
    client.cookies["django_language"] = "en"  # the page is in English, the e-mail follows her preference
    client.post(reverse("worksheets:email_copy"))
    from django.utils import translation

    with translation.override("fr"):
        hello = translation.gettext("Hello %(name)s,") % {"name": "Ana Me"}
    assert hello != "Hello Ana Me,"
    assert hello in mail.outbox[0].body


def test_email_copy_is_rate_limited(client, world):
    from django.core import mail

    fill(client, world)
    for _ in range(4):
        client.post(reverse("worksheets:email_copy"))
    assert len(mail.outbox) == 3


def test_another_participants_worksheet_never_reaches_my_pdf_or_email(client, world):
    from django.core import mail

    theirs = f.worksheet(world["other"], world["session"])
    f.answer(theirs, world["text_q"], text="Bo secret")
    sign_in(client, world["me"])
    client.post(reverse("worksheets:email_copy"))
    assert "Bo secret" not in mail.outbox[0].body


def _answered(world, *, text="before", scale=None, question="text_q"):
    """My worksheet with an answer at revision 1, so that a save with revision 1 tries the one-statement path."""
    worksheet = f.worksheet(world["me"], world["session"])
    return f.answer(worksheet, world[question], text=text, scale=scale, revision=1)


def _close_workshop(world):
    world["workshop"].worksheets_open = False
    world["workshop"].save()


def _submit(world):
    Worksheet.objects.filter(participant=world["me"]).update(status=WorksheetStatus.SUBMITTED)


def _move_question_to_another_session(world):
    world["text_q"].session = f.session(world["workshop"], title="Another session", day=1)
    world["text_q"].save()


@pytest.mark.parametrize(
    ("change", "payload", "status", "says"),
    [
        (_close_workshop, {"text": "after"}, 403, "closed"),
        (_submit, {"text": "after"}, 403, "submitted"),
        (_move_question_to_another_session, {"text": "after"}, 400, "not part of this worksheet"),
        (None, {"scale": 3}, 400, "must be text"),  # a value for a text question
        (None, {"text": "after", "revision": 2}, 409, "changed elsewhere"),
        (None, {"text": "x" * 20_001}, 400, "too long"),
        (None, {"text": "after", "question": 2**70}, 400, "not part of this worksheet"),
        ("other", {"text": "after"}, 404, None),  # signed in as someone else
    ],
    ids=["closed", "submitted", "question-moved", "scale-for-text", "stale", "too-long", "huge-id", "not-mine"],
)
def test_a_later_save_that_breaks_a_rule_is_refused_like_a_first_one(client, world, change, payload, status, says):
    """A save of an earlier answer first tries one conditional UPDATE; anything off falls back to the full checks."""
    answer = _answered(world)
    if callable(change):
        change(world)
    sign_in(client, world["other"] if change == "other" else world["me"])
    response = autosave(client, world["session"], {"question": world["text_q"].pk, "revision": 1, **payload})
    assert response.status_code == status
    if says:
        assert says in response.json()["error"]
    answer.refresh_from_db()
    assert (answer.text, answer.scale, answer.revision) == ("before", None, 1)


def test_a_later_save_of_a_scale_question_takes_the_value(client, world):
    answer = _answered(world, text="", scale=2, question="scale_q")
    sign_in(client, world["me"])
    response = autosave(client, world["session"], {"question": world["scale_q"].pk, "scale": 5, "revision": 1})
    assert (response.status_code, response.json()) == (200, {"revision": 2})
    answer.refresh_from_db()
    assert (answer.scale, answer.text, answer.revision) == (5, "", 2)
    cleared = autosave(client, world["session"], {"question": world["scale_q"].pk, "scale": None, "revision": 2})
    assert cleared.json() == {"revision": 3}
    answer.refresh_from_db()
    assert (answer.scale, answer.revision) == (None, 3)


def test_autosave_conflict_json_is_the_stored_answer_with_text_and_scale(client, world):
    sign_in(client, world["me"])
    client.get(reverse("worksheets:worksheet", args=[world["session"].pk]))
    autosave(client, world["session"], {"question": world["text_q"].pk, "text": "from the laptop", "revision": 0})
    autosave(client, world["session"], {"question": world["scale_q"].pk, "scale": 4, "revision": 0})
    stale_text = autosave(client, world["session"], {"question": world["text_q"].pk, "text": "phone", "revision": 0})
    stale_scale = autosave(client, world["session"], {"question": world["scale_q"].pk, "scale": 2, "revision": 0})
    message = "This answer was changed elsewhere (another tab or device) since you opened it."
    assert (stale_text.status_code, stale_text.json()) == (
        409,
        {"error": message, "revision": 1, "text": "from the laptop", "scale": None},
    )
    assert (stale_scale.status_code, stale_scale.json()) == (
        409,
        {"error": message, "revision": 1, "text": "", "scale": 4},
    )
