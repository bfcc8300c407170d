"""Personal links: in, out, revoked, expired, lost."""

import re
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from workshops.access import lost_link_path, participant_users_ensure, personal_link_path, personal_link_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    return f.participant(workshop, preferred_language="es", group=f.group(workshop))


def test_link_logs_in_and_redirects_to_an_address_without_the_token(client, participant):
    path = personal_link_path(person=participant)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 27  # a 128-bit signature plus the person's id
    response = client.get(path)
    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Location"] == "/es/me/"  # in the participant's language
    assert client.cookies["django_language"].value == "es"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert participant.name in page.content.decode()


def test_the_same_link_works_again(client, participant):
    path = personal_link_path(person=participant)
    assert client.get(path).status_code == 302
    client.logout()
    assert client.get(path).status_code == 302


def test_revoked_link_fails_and_the_new_one_works(client, participant):
    old = personal_link_path(person=participant)
    personal_link_revoke(person=participant)
    new = personal_link_path(person=participant)
    assert new != old
    response = client.get(old)
    assert response.status_code == 404
    assert "Get a new link by e-mail" in response.content.decode()
    assert client.get(new).status_code == 302


def test_tampered_link_fails_with_a_clear_page(client, participant):
    path = personal_link_path(person=participant)
    response = client.get(path[:-3] + "xyz/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_link_expires_after_the_workshop(client, settings, participant):
    settings.PERSONAL_LINK_DAYS_AFTER_WORKSHOP = 30
    workshop = participant.workshop
    workshop.start_date, workshop.end_date = date(2020, 1, 1), date(2020, 1, 2)
    workshop.save()
    response = client.get(personal_link_path(person=participant))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    workshop.links_valid_until = timezone.localdate() + timedelta(days=1)
    workshop.save()
    assert client.get(personal_link_path(person=participant)).status_code == 302


def test_bad_link_page_is_in_the_visitors_language(client, participant):
    client.cookies["django_language"] = "fr"
    response = client.get("/fr/link/nonsense/")
    assert response.status_code == 404
    assert "This link does not work" not in response.content.decode()
    assert 'lang="fr"' in response.content.decode()


def test_lost_link_sends_a_one_time_link_and_hides_whether_the_address_exists(client, participant):
    known = client.post(reverse("workshops:lost_link"), {"email": participant.email.upper()})
    unknown = client.post(reverse("workshops:lost_link"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def page(response):
        return re.sub(r'value="[^"]+"', "", response.content.decode())

    assert page(known) == page(unknown)
    assert [m.to for m in mail.outbox] == [[participant.email], ["nobody@example.org"]]  # each gets one e-mail
    link = next(word for word in mail.outbox[0].body.split() if "/link/once/" in word)
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200  # a confirming button: a GET does not spend it
    assert client.post(path).status_code == 302
    client.logout()
    used = client.get(path)
    assert used.status_code == 410
    # The participant's language (Spanish) was remembered when they came in.
    with translation.override("es"):
        expected = translation.gettext("This link was already used")
    assert expected != "This link was already used"
    assert expected in used.content.decode()


def test_one_time_link_expires_after_minutes(client, settings, participant):
    path = lost_link_path(person=participant)
    settings.LOST_LINK_MINUTES = 0
    time.sleep(1.1)
    assert client.get(path).status_code == 410


def test_lost_link_is_rate_limited(client, participant):
    for _ in range(5):
        assert client.post(reverse("workshops:lost_link"), {"email": participant.email}).status_code == 200
    assert client.post(reverse("workshops:lost_link"), {"email": participant.email}).status_code == 429
    assert len(mail.outbox) == 5


def test_personal_link_command_prints_the_link(client, participant):
    from io import StringIO

    out = StringIO()
    call_command("personal_link", participant.email, "--base-url", "http://testserver", stdout=out)
    assert out.getvalue().startswith(f"{participant.name} ({participant.workshop.slug}): http://testserver/link/")
    link = out.getvalue().split(": ", 1)[1].split()[0]
    assert client.get(link).status_code == 302


def decode_qr(png: bytes) -> list[str]:
    import io

    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_personal_link_command_writes_a_qr_code_that_opens_the_link(client, participant, tmp_path):
    from io import StringIO

    out = StringIO()
    call_command(
        "personal_link",
        participant.email,
        "--base-url",
        "http://testserver",
        "--qr",
        str(tmp_path / "badge.png"),
        stdout=out,
    )
    decoded = decode_qr((tmp_path / "badge.png").read_bytes())
    printed = out.getvalue().split(": ", 1)[1].split()[0]
    assert decoded == [printed]
    assert client.get(decoded[0]).status_code == 302
    assert client.get("/me/", follow=True).context["participant"] == participant


def test_organiser_sees_the_link_and_qr_and_can_replace_links(client, participant):
    organiser = f.user()
    participant.workshop.organisers.add(organiser)
    client.force_login(organiser)
    page = client.get(reverse("admin:workshops_participant_change", args=[participant.pk])).content.decode()
    assert "<svg" in page
    # Tokens carry their issue time, so the link shown is compared by what it opens, not by its text.
    shown = re.search(r'href="http://testserver(/link/[^"]+)"', page).group(1)
    client.post(
        reverse("admin:workshops_participant_changelist"),
        {"action": "replace_personal_links", "_selected_action": [participant.pk]},
    )
    client.logout()
    assert client.get(shown).status_code == 404  # replaced: the old link no longer opens
    assert client.get(personal_link_path(person=participant)).status_code == 302


def test_guessing_links_is_locked_out_but_a_real_link_still_works(client, participant):
    # django-axes counts failed link checks per client address: guessing tokens is slowed down,
    # while a participant behind the same venue address with a real link still gets in.
    statuses = [client.get(f"/link/guess{i}/").status_code for i in range(6)]
    assert statuses[:4] == [404] * 4
    assert statuses[-1] == 429
    locked = client.get("/es/link/guess-again/")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'lang="es"' in page and "/es/link/lost/" in page  # what to do next, in the visitor's language
    assert client.get(personal_link_path(person=participant)).status_code == 302


def test_participant_users_ensure_never_adopts_the_login_left_by_a_deleted_participant_of_the_same_id(client):
    """Ids come back (a restore, a database rebuilt): a login named for a deleted participant of the
    same id is not the newcomer's. Adopting it would let the old person's link open the new person's pages."""
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    gone = f.participant(workshop, name="Old Person", email="old@example.org")
    old_link = personal_link_path(person=gone)  # their login, "participant.<id>.link"
    gone.refresh_from_db()
    old_login, pk = gone.user_id, gone.pk
    gone.delete()  # the login stays behind
    newcomer = f.participant(workshop, pk=pk, name="New Person", email="new@example.org")

    assert participant_users_ensure(workshop=workshop) == 1
    newcomer.refresh_from_db()
    assert newcomer.user_id is not None and newcomer.user_id != old_login
    assert newcomer.user.email == "new@example.org"
    client.get(old_link)
    assert client.get(reverse("worksheets:my_day")).status_code == 403  # the old link opens nothing of theirs
    client.logout()
    client.get(personal_link_path(person=newcomer))
    assert "New Person" in client.get(reverse("worksheets:my_day")).content.decode()


@pytest.mark.parametrize("kind", ["participant", "facilitator"])
def test_a_first_link_never_fails_on_the_login_left_by_a_deleted_person_of_the_same_id(client, kind):
    """The one-at-a-time path (a link opened, an invitation sent) meets the same leftover login: it
    made "<kind>.<id>.link" again and failed on the unique name (a 500 for the newcomer)."""
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today + timedelta(days=1))
    make = f.participant if kind == "participant" else f.facilitator
    gone = make(workshop, name="Old Person", email="old@example.org")
    old_link = personal_link_path(person=gone)
    gone.refresh_from_db()
    old_login, pk = gone.user_id, gone.pk
    gone.delete()  # the login stays behind
    newcomer = make(workshop, pk=pk, name="New Person", email="new@example.org")

    new_link = personal_link_path(person=newcomer)
    newcomer.refresh_from_db()
    assert newcomer.user_id not in (None, old_login)
    assert newcomer.user.email == "new@example.org"
    assert new_link != old_link
    client.get(new_link)
    assert int(client.session["_auth_user_id"]) == newcomer.user_id  # signed in as the newcomer
