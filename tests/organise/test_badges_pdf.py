"""Badges as one PDF built by a background job: start it, watch its progress, download it; pypdf reads it back."""

import io
import re

import pypdf
import pytest
import segno
from django.urls import reverse

from tests import factories as f
from worksheets.badges_pdf import BADGE_QR_MASK, _qr_runs
from workshops.access import personal_link_check
from workshops.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser):
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    mode = f.language_mode(workshop, name="Tri-lingual", name_es="Trilingüe", name_fr="Trilingue")
    room = f.room(workshop, name="Room C", name_es="Sala C", name_fr="Salle C", mode=mode)
    group = f.group(workshop, name="C", room_obj=room)
    people = {
        "amadou": f.participant(
            workshop,
            name="Amadou Diallo",
            country="SN",
            group=group,
            preferred_language="fr",
            organisation="Ministère de l'Intérieur",
            languages=["fr", "en"],
        ),
        "lucia": f.participant(
            workshop, name="Lucía García", country="MX", group=group, preferred_language="es", languages=["es"]
        ),
        "li": f.participant(workshop, name="李明", country="CN", preferred_language="en", languages=["zh", "en"]),
    }
    return {"workshop": workshop, "group": group, **people}


def url(world, name, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": world["workshop"].slug, **kwargs})


def start(client, world, django_capture_on_commit_callbacks, **data) -> Job:
    with django_capture_on_commit_callbacks(execute=True):  # the task runs as the request's transaction commits
        response = client.post(url(world, "badges_pdf"), data)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(world, "job", job_id=job.pk)
    return job


def badges_text(pdf_bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    # pypdf reads the CJK font's characters with a NUL before each (as in tests/worksheets/test_pdf.py).
    return [page.extract_text().replace("\x00", "") for page in reader.pages]


def test_badges_pdf_has_a_badge_per_participant_each_in_their_language(
    client, organiser, world, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    job = start(client, world, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (Job.State.DONE, 3, 3)
    response = client.get(url(world, "job_download", job_id=job.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = badges_text(response.content)
    assert len(pages) == 1  # eight per sheet
    text = pages[0]
    for name in ("Amadou Diallo", "Lucía García", "李明"):
        assert text.count(name) == 1
    amadou, lucia, li = (text.split(name, 1)[1] for name in ("Amadou Diallo", "Lucía García", "李明"))
    # Each badge in its person's own language: country, languages, group and room.
    assert "Sénégal" in amadou and "français, anglais" in amadou and "Salle C" in amadou
    assert "Ministère de l'Intérieur" in amadou
    assert "México" in lucia and "español" in lucia and "Sala C" in lucia
    assert "China" in li and "Group to be announced" in li


def test_badges_pdf_nine_people_take_two_sheets(client, organiser, world, django_capture_on_commit_callbacks):
    for index in range(6):
        f.participant(world["workshop"], name=f"Person {index}")
    client.force_login(organiser)
    job = start(client, world, django_capture_on_commit_callbacks)
    pages = badges_text(client.get(url(world, "job_download", job_id=job.pk)).content)
    assert len(pages) == 2
    assert sum(len(re.findall(r"Developing Capacity to Manage Migration", page)) for page in pages) == 9


def test_badges_pdf_of_one_group(client, organiser, world, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    job = start(client, world, django_capture_on_commit_callbacks, group=world["group"].pk)
    text = "".join(badges_text(client.get(url(world, "job_download", job_id=job.pk)).content))
    assert ("Amadou Diallo" in text, "Lucía García" in text, "李明" in text) == (True, True, False)


def test_badges_pdf_of_a_group_of_another_workshop_is_404(client, organiser, world):
    other = f.group(f.workshop())
    client.force_login(organiser)
    assert client.post(url(world, "badges_pdf"), {"group": other.pk}).status_code == 404
    assert not Job.objects.exists()


def test_badges_pdf_qr_code_is_the_personal_link(world):
    """The drawn modules are exactly the QR code of the link, which opens the participant's page."""
    link = "https://workshops.example.org/fr/link/abc/"
    modules, runs = _qr_runs(link)
    code = segno.make(link, error="m", mask=BADGE_QR_MASK)
    dark = {(y, x) for y, row in enumerate(code.matrix_iter(border=2)) for x, bit in enumerate(row) if bit}
    drawn = {(y, x + i) for y, x, length in runs for i in range(length)}
    assert (modules, drawn) == (code.symbol_size(border=2)[0], dark)


def test_badges_pdf_links_are_personal_links(world, django_capture_on_commit_callbacks, client, organiser):
    from worksheets.badges import badges_for_print
    from workshops.access import participant_users_ensure

    participant_users_ensure(workshop=world["workshop"])
    badges = badges_for_print(workshop=world["workshop"], base_url="https://workshops.example.org/")
    assert [b.name for b in badges] == ["Amadou Diallo", "Lucía García", "李明"]
    amadou = badges[0]
    assert amadou.url.startswith("https://workshops.example.org/fr/link/")
    token = amadou.url.rstrip("/").rsplit("/", 1)[1]
    assert personal_link_check(token=token, spend=False) == (world["amadou"], None)


def test_badges_pdf_of_an_empty_workshop_fails_in_words(client, organiser, django_capture_on_commit_callbacks):
    workshop = f.workshop(organisers=[organiser])
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organise:badges_pdf", kwargs={"slug": workshop.slug}))
    job = Job.objects.get()
    page = client.get(reverse("organise:job", kwargs={"slug": workshop.slug, "job_id": job.pk})).content.decode()
    assert "This could not be made." in page
    assert "Nothing to print yet: this workshop has no participant." in page
    assert (
        client.get(reverse("organise:job_download", kwargs={"slug": workshop.slug, "job_id": job.pk})).status_code
        == 404
    )


def test_job_page_shows_progress_with_a_refresh_link_and_status_json(client, organiser, world):
    job = Job.objects.create(
        workshop=world["workshop"], kind=Job.Kind.BADGES, state=Job.State.RUNNING, done=412, total=3000
    )
    Job.objects.filter(pk=job.pk).update(heartbeat_at=job.created_at, started_at=job.created_at)
    client.force_login(organiser)
    page = client.get(url(world, "job", job_id=job.pk)).content.decode()
    assert "412 of 3,000" in page
    assert f'href="{url(world, "job", job_id=job.pk)}"' in page  # works without JavaScript: refresh by hand
    assert 'aria-valuenow="412"' in page
    status = client.get(url(world, "job_status", job_id=job.pk)).json()
    assert (status["state"], status["done"], status["total"], status["finished"]) == ("running", 412, 3000, False)
    assert status["progress_text"] == "412 of 3,000"
    french = client.get("/fr" + url(world, "job_status", job_id=job.pk)).json()
    assert french["progress_text"] == "412 sur 3\xa0000"


def test_job_of_another_workshop_is_404_everywhere(client, organiser, other_organiser, world):
    mine = Job.objects.create(workshop=world["workshop"], kind=Job.Kind.BADGES, state=Job.State.DONE, result=b"%PDF")
    theirs = f.workshop(organisers=[other_organiser])
    client.force_login(other_organiser)
    for name in ("job", "job_status", "job_download"):
        # Under their own workshop's address, and under ours: 404 both ways.
        assert (
            client.get(reverse(f"organise:{name}", kwargs={"slug": theirs.slug, "job_id": mine.pk})).status_code == 404
        )
        assert client.get(url(world, name, job_id=mine.pk)).status_code == 404
    assert client.post(url(world, "badges_pdf")).status_code == 404


def test_badges_page_of_everyone_past_the_limit_sends_to_the_pdf(client, organiser, world, monkeypatch):
    from organise.views import printables

    monkeypatch.setattr(printables, "BADGES_IN_PAGE_MAX", 2)
    client.force_login(organiser)
    response = client.get(url(world, "badges"))
    assert (response.status_code, response["Location"]) == (302, url(world, "printables"))
    assert client.get(url(world, "badges") + f"?group={world['group'].pk}").status_code == 200  # one group: a page
    index = client.get(url(world, "printables")).content.decode()
    assert f'action="{url(world, "badges_pdf")}"' in index
