"""Before the invitations go out: the organiser's own message, the preview in each language, a test to oneself."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.mail_backends import use_mailer
from workshops.invitation_preview import PLACEHOLDER_LINK
from workshops.invitations import invitation_message
from workshops.models import Invitation

pytestmark = pytest.mark.django_db

PERSONAL_LINK = re.compile(r"/link/(?!lost/)[^/\s\"<]+/")


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser], title="Migration Dialogue", venue="Palais")
    f.group(workshop, room_obj=f.room(workshop, mode=f.language_mode(workshop, languages=["es"])))
    f.group(workshop, room_obj=f.room(workshop, mode=f.language_mode(workshop, languages=["en"])))
    ana = f.participant(workshop, name="Ana Ruiz", email="ana@example.org", preferred_language="es")
    awa = f.facilitator(workshop, name="Awa Sissoko", email="awa@example.org", preferred_language="fr")
    workshop.invitation_note_en = "Lunch is at noon <in the garden> & drinks at six."
    workshop.invitation_note_es = "El almuerzo es a mediodía <en el jardín>."
    workshop.save()
    return {"workshop": workshop, "ana": ana, "awa": awa}


def url(name, workshop, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def frame(client, workshop, language, kind):
    response = client.get(url("invitation_preview_html", workshop, language=language, kind=kind))
    assert response.status_code == 200
    return response


# The organiser's own message in the real invitation


def _message(workshop, person, language):
    person.preferred_language = language
    person.save()
    field = "participant" if person.__class__.__name__ == "Participant" else "facilitator"
    invitation = Invitation.objects.create(
        workshop=workshop, language=language, to_email=person.email, batch=uuid.uuid4(), **{field: person}
    )
    return invitation_message(invitation=invitation, base_url="http://testserver")


def test_the_real_invitation_carries_the_own_message_in_its_language_escaped_in_html(world):
    message = _message(world["workshop"], world["ana"], "es")
    assert "El almuerzo es a mediodía <en el jardín>." in message.body
    html = message.alternatives[0].content
    assert "El almuerzo es a mediodía &lt;en el jardín&gt;." in html
    assert "<en el jardín>" not in html
    assert "Lunch" not in message.body


def test_the_real_invitation_falls_back_to_the_english_message(world):
    message = _message(world["workshop"], world["awa"], "fr")  # no French message
    assert "Lunch is at noon <in the garden> & drinks at six." in message.body
    assert "Lunch is at noon &lt;in the garden&gt; &amp; drinks at six." in message.alternatives[0].content
    assert message.subject == "Votre lien personnel pour Migration Dialogue"


def test_without_an_own_message_the_invitation_is_as_before(world):
    workshop = world["workshop"]
    workshop.invitation_note_en = workshop.invitation_note_es = ""
    workshop.save()
    message = _message(workshop, world["ana"], "es")
    assert "almuerzo" not in message.body and "Lunch" not in message.body


# The preview


def test_preview_shows_each_kind_in_the_chosen_language_with_the_own_message_and_a_placeholder_link(
    client, organiser, world
):
    client.force_login(organiser)
    users_before = get_user_model().objects.count()
    response = client.get(url("invitation_preview", world["workshop"]) + "?language=es")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Su enlace personal para Migration Dialogue" in page  # the subject, in Spanish
    assert "El almuerzo es a mediodía &lt;en el jardín&gt;." in page  # the text part, escaped on the page
    assert "Estimado/a Ana Ruiz:" in page  # the first real participant's name
    assert "Estimado/a Awa Sissoko:" in page  # and facilitator's
    assert PLACEHOLDER_LINK in page
    assert not PERSONAL_LINK.search(page.replace(reverse("workshops:lost_link"), ""))
    assert "no se ha escrito en este idioma" not in page  # a Spanish message exists
    html = frame(client, world["workshop"], "es", "facilitator").content.decode()
    assert "El almuerzo es a mediodía &lt;en el jardín&gt;." in html
    assert PLACEHOLDER_LINK in html and not PERSONAL_LINK.search(html.replace(reverse("workshops:lost_link"), ""))
    assert "rotación" in html  # the facilitator's own sentence
    # Nothing recorded, nobody's login created.
    assert Invitation.objects.count() == 0
    assert get_user_model().objects.count() == users_before


def test_preview_in_french_says_it_falls_back_to_the_english_message(client, organiser, world):
    client.force_login(organiser)
    page = client.get(url("invitation_preview", world["workshop"]) + "?language=fr").content.decode()
    assert "Votre lien personnel pour Migration Dialogue" in page
    assert "Lunch is at noon &lt;in the garden&gt; &amp; drinks at six." in page
    assert "Your own message is not written in this language: these invitations carry the English one." in page


def test_preview_opens_in_the_first_language_the_workshop_uses_and_offers_all(client, organiser, world):
    client.force_login(organiser)
    page = client.get(url("invitation_preview", world["workshop"])).content.decode()
    assert "Your personal link for Migration Dialogue" in page  # English rooms: English first
    for code in ("en", "es", "fr"):
        assert f'href="?language={code}"' in page


def test_preview_without_people_names_a_stand_in(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    client.force_login(organiser)
    page = client.get(url("invitation_preview", workshop) + "?language=en").content.decode()
    assert "Hello (participant’s name)," in page and "Hello (facilitator’s name)," in page


def test_preview_of_an_unknown_language_or_kind_is_404(client, organiser, world):
    client.force_login(organiser)
    assert client.get(url("invitation_preview", world["workshop"]) + "?language=de").status_code == 404
    bad = url("invitation_preview_html", world["workshop"], language="es", kind="someone")
    assert client.get(bad).status_code == 404


def test_the_email_frame_may_only_be_framed_by_our_pages_and_runs_no_script(client, organiser, world):
    client.force_login(organiser)
    response = frame(client, world["workshop"], "en", "participant")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "sandbox" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_another_teams_organiser_gets_404_for_the_preview_and_the_test(client, other_organiser, world):
    client.force_login(other_organiser)
    assert client.get(url("invitation_preview", world["workshop"])).status_code == 404
    assert (
        client.get(url("invitation_preview_html", world["workshop"], language="en", kind="participant")).status_code
        == 404
    )
    response = client.post(url("invitation_test", world["workshop"]), {"language": "es", "kind": "participant"})
    assert response.status_code == 404
    assert mail.outbox == []


# The organiser's own message, edited on the invitations page


def _note_form(client, workshop):
    page = client.get(url("invitations", workshop)).content.decode()
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1), page


def test_saving_the_own_message_in_three_languages(client, organiser, world):
    client.force_login(organiser)
    version, _page = _note_form(client, world["workshop"])
    data = {
        "version": version,
        "invitation_note_en": " Bring your badge. ",
        "invitation_note_es": "Traiga su credencial.",
    }
    response = client.post(url("invitation_note", world["workshop"]), data | {"invitation_note_fr": ""})
    assert response.status_code == 302
    world["workshop"].refresh_from_db()
    assert world["workshop"].invitation_note_en == "Bring your badge."
    assert world["workshop"].invitation_note_es == "Traiga su credencial."
    assert world["workshop"].invitation_note_fr == ""
    message = _message(world["workshop"], world["ana"], "es")
    assert "Traiga su credencial." in message.body


def test_the_invitations_page_warns_where_a_language_the_rooms_need_is_empty(client, organiser, world):
    client.force_login(organiser)
    _version, page = _note_form(client, world["workshop"])
    assert "Your message is not written in" not in page  # rooms need English and Spanish: both written
    world["workshop"].invitation_note_es = ""
    world["workshop"].save()
    _version, page = _note_form(client, world["workshop"])
    assert "Your message is not written in Spanish, which your rooms need" in page


def test_a_save_over_someone_elses_newer_message_is_refused_keeping_what_was_typed(client, organiser, world):
    client.force_login(organiser)
    version, _page = _note_form(client, world["workshop"])
    world["workshop"].invitation_note_en = "A colleague's newer text."
    world["workshop"].save()
    data = {
        "version": version,
        "invitation_note_en": "Mine, typed meanwhile.",
        "invitation_note_es": "",
        "invitation_note_fr": "",
    }
    response = client.post(url("invitation_note", world["workshop"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this message since you opened the page." in page
    assert "Mine, typed meanwhile." in page
    world["workshop"].refresh_from_db()
    assert world["workshop"].invitation_note_en == "A colleague's newer text."
    # Saving again, knowingly, replaces theirs.
    data["version"] = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    assert client.post(url("invitation_note", world["workshop"]), data).status_code == 302
    world["workshop"].refresh_from_db()
    assert world["workshop"].invitation_note_en == "Mine, typed meanwhile."


def test_of_two_saves_from_the_same_page_the_second_is_refused(client, organiser, world):
    client.force_login(organiser)
    version, _page = _note_form(client, world["workshop"])
    first = {"version": version, "invitation_note_en": "First.", "invitation_note_es": "", "invitation_note_fr": ""}
    assert client.post(url("invitation_note", world["workshop"]), first).status_code == 302
    second = first | {"invitation_note_en": "Second."}
    assert client.post(url("invitation_note", world["workshop"]), second).status_code == 400
    world["workshop"].refresh_from_db()
    assert world["workshop"].invitation_note_en == "First."


def test_an_own_message_too_long_is_refused_and_kept(client, organiser, world):
    client.force_login(organiser)
    version, _page = _note_form(client, world["workshop"])
    data = {"version": version, "invitation_note_en": "x" * 3001, "invitation_note_es": "", "invitation_note_fr": ""}
    response = client.post(url("invitation_note", world["workshop"]), data)
    assert response.status_code == 400
    assert "x" * 3001 in response.content.decode()
    world["workshop"].refresh_from_db()
    assert world["workshop"].invitation_note_en.startswith("Lunch")


# A test to oneself


def test_a_test_goes_to_the_organiser_only_marked_with_a_link_that_opens_nothing(client, organiser, world):
    client.force_login(organiser)
    users_before = get_user_model().objects.count()
    response = client.post(url("invitation_test", world["workshop"]), {"language": "es", "kind": "facilitator"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [organiser.email]
    assert message.subject == "Prueba: Su enlace personal para Migration Dialogue"
    assert message.body.startswith("Esto es una prueba.")
    assert "El almuerzo es a mediodía <en el jardín>." in message.body
    assert "rotación" in message.body
    assert PLACEHOLDER_LINK in message.body and PLACEHOLDER_LINK in message.alternatives[0].content
    assert not PERSONAL_LINK.search(message.body.replace(reverse("workshops:lost_link"), ""))
    assert Invitation.objects.count() == 0
    assert get_user_model().objects.count() == users_before
    page = client.get(response["Location"]).content.decode()
    assert f"is on its way to {organiser.email}" in page


def test_a_test_is_refused_in_words_without_an_address(client, organiser, world):
    organiser.email = ""
    organiser.save()
    client.force_login(organiser)
    response = client.post(
        url("invitation_test", world["workshop"]), {"language": "en", "kind": "participant"}, follow=True
    )
    assert "Your account has no e-mail address, so no test can be sent to you." in response.content.decode()
    assert mail.outbox == []


def test_a_test_the_mailer_does_not_take_says_so(client, organiser, world, settings):
    use_mailer(settings, "FailingBackend", error="smtp")
    client.force_login(organiser)
    response = client.post(
        url("invitation_test", world["workshop"]), {"language": "en", "kind": "participant"}, follow=True
    )
    assert "The mail server did not take the test: nothing was sent." in response.content.decode()


@pytest.mark.parametrize("size", [2, 40])
def test_preview_queries_do_not_grow(client, organiser, size):
    client.force_login(organiser)
    counts = []
    for people in (size, size * 3):
        workshop = f.populated_workshop(
            participants=people, groups=2, sessions=1, facilitators=2, organisers=[organiser]
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("invitation_preview", workshop) + "?language=es").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
