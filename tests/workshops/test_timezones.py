"""Times belong to the workshop's own time zone, wherever they are typed or shown.

The server runs in Europe/Zurich (settings.TIME_ZONE); the workshops here are elsewhere.
Every test starts from what an organiser types and checks what people see.
"""

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar
from pypdf import PdfReader

from tests import factories as f
from workshops.access import link_expires_at, personal_link_path
from workshops.imports.values import availability_parse
from workshops.models import Availability, BreakoutSession, Facilitator, Workshop

pytestmark = pytest.mark.django_db

DAKAR, MANILA, SANTIAGO, ZURICH = (
    ZoneInfo(z) for z in ("Africa/Dakar", "Asia/Manila", "America/Santiago", "Europe/Zurich")
)


def test_server_runs_in_zurich():
    # The premise of every test below: the server's zone is not the workshop's.
    assert settings.TIME_ZONE == "Europe/Zurich"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def split(prefix: str, name: str, moment: str) -> dict:
    """The admin's date and time inputs for "2030-09-27 11:00"."""
    day, time = moment.split()
    return {f"{prefix}{name}_0": day, f"{prefix}{name}_1": time}


def workshop_form(*, workshop=None, organiser, sessions=(), **fields) -> dict:
    """The Workshop change (or add) form as the admin posts it, with new sessions in its inline."""
    data = {
        "title_en": workshop.title if workshop else "New workshop",
        "slug": workshop.slug if workshop else "new-workshop",
        "start_date": str(workshop.start_date) if workshop else "2030-09-27",
        "end_date": str(workshop.end_date) if workshop else "2030-09-28",
        "timezone": workshop.timezone if workshop else "Europe/Zurich",
        "organisers": [organiser.pk],
        "is_published": "on",
        "worksheets_open": "on",
    }
    data.update(fields)
    for prefix in ("language_modes", "rooms", "groups"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"sessions-TOTAL_FORMS": str(len(sessions)), "sessions-INITIAL_FORMS": "0"})
    for i, (title, start, end) in enumerate(sessions):
        prefix = f"sessions-{i}-"
        data.update({f"{prefix}title_en": title, f"{prefix}facilitators_required": "2"})
        data.update(split(prefix, "start", start))
        data.update(split(prefix, "end", end))
    return data


def post_ok(client, url, data):
    response = client.post(url, data)
    if response.status_code != 302:
        context = response.context
        errors = [context["adminform"].form.errors, *(fs.formset.errors for fs in context["inline_admin_formsets"])]
        pytest.fail(f"not saved: {errors}")
    return response


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


# -- typing times in the back office ------------------------------------------------------------


@pytest.mark.parametrize("zone", [DAKAR, MANILA, SANTIAGO])
def test_session_typed_on_workshop_page_is_read_in_workshop_zone(client, organiser, zone):
    workshop = f.workshop(organisers=[organiser], timezone=str(zone))
    client.force_login(organiser)
    data = workshop_form(
        workshop=workshop, organiser=organiser, sessions=[("Labour", "2030-09-27 11:00", "2030-09-27 13:00")]
    )
    post_ok(client, admin_url(Workshop, "change", workshop.pk), data)
    session = BreakoutSession.objects.get(workshop=workshop)
    assert session.start == datetime(2030, 9, 27, 11, tzinfo=zone)
    assert session.end == datetime(2030, 9, 27, 13, tzinfo=zone)


def test_workshop_add_page_reads_session_times_in_the_zone_chosen_on_it(client, organiser):
    client.force_login(organiser)
    data = workshop_form(
        organiser=organiser, timezone="Asia/Manila", sessions=[("Labour", "2030-09-27 09:00", "2030-09-27 11:30")]
    )
    post_ok(client, admin_url(Workshop, "add"), data)
    session = BreakoutSession.objects.get(workshop__slug="new-workshop")
    assert session.start == datetime(2030, 9, 27, 9, tzinfo=MANILA)
    assert session.end == datetime(2030, 9, 27, 11, 30, tzinfo=MANILA)


def test_session_add_page_reads_times_in_the_chosen_workshops_zone(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="America/Santiago")
    client.force_login(organiser)
    data = {"workshop": workshop.pk, "title_en": "Labour", "facilitators_required": "2"}
    data.update(split("", "start", "2030-09-27 11:00"))
    data.update(split("", "end", "2030-09-27 13:00"))
    post_ok(client, admin_url(BreakoutSession, "add"), data)
    assert BreakoutSession.objects.get(workshop=workshop).start == datetime(2030, 9, 27, 11, tzinfo=SANTIAGO)


def test_session_change_page_moves_a_session_to_another_zone_by_its_workshop(client, organiser):
    # The times are read in the zone of the workshop chosen in the same form, not the old one's.
    zurich = f.workshop(organisers=[organiser])
    manila = f.workshop(organisers=[organiser], timezone="Asia/Manila")
    session = f.session(zurich)
    client.force_login(organiser)
    data = {"workshop": manila.pk, "title_en": session.title, "facilitators_required": "2"}
    data.update(split("", "start", "2030-09-27 11:00"))
    data.update(split("", "end", "2030-09-27 13:00"))
    post_ok(client, admin_url(BreakoutSession, "change", session.pk), data)
    session.refresh_from_db()
    assert session.start == datetime(2030, 9, 27, 11, tzinfo=MANILA)


def availability_form(facilitator, windows, **fields) -> dict:
    data = {
        "workshop": facilitator.workshop_id,
        "name": facilitator.name,
        "email": facilitator.email,
        "languages": facilitator.languages,
        "preferred_language": "en",
        "availability-TOTAL_FORMS": str(len(windows)),
        "availability-INITIAL_FORMS": "0",
    }
    data.update(fields)
    for i, (start, end) in enumerate(windows):
        data.update(split(f"availability-{i}-", "start", start))
        data.update(split(f"availability-{i}-", "end", end))
    return data


def test_availability_typed_in_admin_agrees_with_the_import(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    facilitator = f.facilitator(workshop)
    client.force_login(organiser)
    data = availability_form(facilitator, [("2030-09-27 09:00", "2030-09-27 17:00")])
    post_ok(client, admin_url(Facilitator, "change", facilitator.pk), data)
    stored = [(a.start, a.end) for a in Availability.objects.filter(facilitator=facilitator)]
    assert stored == [(datetime(2030, 9, 27, 9, tzinfo=DAKAR), datetime(2030, 9, 27, 17, tzinfo=DAKAR))]
    assert stored == availability_parse("2030-09-27 09:00-17:00", tz=DAKAR)


def test_facilitator_add_page_reads_availability_in_the_chosen_workshops_zone(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Asia/Manila")
    client.force_login(organiser)
    data = availability_form(
        Facilitator(workshop=workshop, name="Kofi", email="kofi@example.org", languages=["en"]),
        [("2030-09-27 09:00", "2030-09-27 12:00")],
    )
    page = client.get(admin_url(Facilitator, "add")).content.decode()
    assert "Times are in the time zone of the workshop chosen above." in page
    post_ok(client, admin_url(Facilitator, "add"), data)
    window = Availability.objects.get(facilitator__email="kofi@example.org")
    assert window.start == datetime(2030, 9, 27, 9, tzinfo=MANILA)


# -- seeing them again in the back office --------------------------------------------------------


def test_workshop_change_page_shows_session_times_in_workshop_zone_and_says_which(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    f.session(workshop, start=datetime(2030, 9, 27, 11, tzinfo=DAKAR), end=datetime(2030, 9, 27, 13, tzinfo=DAKAR))
    client.force_login(organiser)
    page = client.get(admin_url(Workshop, "change", workshop.pk)).content.decode()
    assert 'name="sessions-0-start_1" value="11:00:00"' in page
    assert 'name="sessions-0-end_1" value="13:00:00"' in page
    # The admin's own warning ("Enter times in the … timezone") names the workshop's zone.
    assert 'data-admin-server-timezone="Africa/Dakar"' in page
    assert "Times are in the workshop’s time zone, Africa/Dakar." in page


def test_workshop_add_page_says_times_are_in_the_zone_chosen_above(client, organiser):
    client.force_login(organiser)
    page = client.get(admin_url(Workshop, "add")).content.decode()
    assert "Times are in the workshop’s time zone, chosen under “Dates”." in page


def test_workshop_add_page_sent_back_with_errors_names_the_zone_chosen_on_it(client, organiser):
    client.force_login(organiser)
    data = workshop_form(
        organiser=organiser, timezone="Africa/Dakar", sessions=[("Labour", "2030-09-27 11:00", "2030-09-27 13:00")]
    )
    data["slug"] = ""  # forgotten
    response = client.post(admin_url(Workshop, "add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-admin-server-timezone="Africa/Dakar"' in page
    assert 'name="sessions-0-start_1" value="11:00"' in page  # as typed


def test_session_change_page_shows_times_in_workshop_zone(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Asia/Manila")
    session = f.session(
        workshop, start=datetime(2030, 9, 27, 11, tzinfo=MANILA), end=datetime(2030, 9, 27, 13, tzinfo=MANILA)
    )
    client.force_login(organiser)
    page = client.get(admin_url(BreakoutSession, "change", session.pk)).content.decode()
    assert 'name="start_1" value="11:00:00"' in page
    assert "Times are in the workshop’s time zone, Asia/Manila." in page
    assert 'data-admin-server-timezone="Asia/Manila"' in page


def test_session_list_shows_each_session_in_its_workshops_zone(client, organiser):
    dakar = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    manila = f.workshop(organisers=[organiser], timezone="Asia/Manila")
    f.session(
        dakar,
        title="In Dakar",
        start=datetime(2030, 9, 27, 11, tzinfo=DAKAR),
        end=datetime(2030, 9, 27, 13, tzinfo=DAKAR),
    )
    f.session(
        manila,
        title="In Manila",
        start=datetime(2030, 9, 27, 9, tzinfo=MANILA),
        end=datetime(2030, 9, 27, 10, tzinfo=MANILA),
    )
    client.force_login(organiser)
    page = client.get(admin_url(BreakoutSession, "changelist")).content.decode()
    rows = {title: re.search(rf"{title}.*?</tr>", page, re.S).group(0) for title in ("In Dakar", "In Manila")}
    shown = {title: re.findall(r'<td class="field-(?:start|end)[^"]*">(.*?)</td>', row) for title, row in rows.items()}

    def local(hour):
        return date_format(datetime(2030, 9, 27, hour), "DATETIME_FORMAT")

    assert shown == {"In Dakar": [local(11), local(13)], "In Manila": [local(9), local(10)]}


def test_facilitator_change_page_shows_availability_in_workshop_zone(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="America/Santiago")
    facilitator = f.facilitator(workshop)
    Availability.objects.create(
        facilitator=facilitator,
        start=datetime(2030, 9, 27, 9, tzinfo=SANTIAGO),
        end=datetime(2030, 9, 27, 17, tzinfo=SANTIAGO),
    )
    client.force_login(organiser)
    page = client.get(admin_url(Facilitator, "change", facilitator.pk)).content.decode()
    assert 'name="availability-0-start_1" value="09:00:00"' in page
    assert "2030-09-27 09:00 – 2030-09-27 17:00" in page  # the row's title
    assert "Times are in the workshop’s time zone, America/Santiago." in page


def test_workshop_delete_page_counts_availability_and_shows_no_other_zones_time(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Asia/Manila")
    Availability.objects.create(
        facilitator=f.facilitator(workshop),
        start=datetime(2030, 9, 27, 9, tzinfo=MANILA),
        end=datetime(2030, 9, 27, 17, tzinfo=MANILA),
    )
    client.force_login(organiser)
    page = client.get(admin_url(Workshop, "delete", workshop.pk)).content.decode()
    # The page counts what goes per kind (it lists no row at the 3,000 size), and shows no time
    # in another zone: 09:00 in Manila is 01:00 UTC, 03:00 in Zurich.
    assert "Availability: 1" in page
    assert "01:00" not in page and "03:00" not in page


# -- what everyone sees ---------------------------------------------------------------------------


def shows_11_to_13(text: str) -> bool:
    """11:00 then 13:00, with only markup or words between (whatever the date format)."""
    return re.search(r"11:00(?:<[^>]*>|\D){0,80}?13:00", text) is not None


def test_time_typed_for_dakar_is_seen_as_typed_everywhere(client, organiser):
    """An organiser types 11:00–13:00 for a Dakar workshop: every page, file and e-mail says 11:00–13:00."""
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    client.force_login(organiser)
    data = workshop_form(
        workshop=workshop, organiser=organiser, sessions=[("Labour", "2030-09-27 11:00", "2030-09-27 13:00")]
    )
    post_ok(client, admin_url(Workshop, "change", workshop.pk), data)
    session = BreakoutSession.objects.get(workshop=workshop)
    group = f.group(workshop, name="A", room_obj=f.room(workshop, name="Room A"))
    participant = f.participant(workshop, group=group)
    facilitator = f.facilitator(workshop)
    f.assignment(facilitator, session, group)
    slug = workshop.slug

    organiser_pages = {
        "board": reverse("organise:board", args=[slug]),  # shows when each session starts
        "room signs": reverse("organise:room_signs", args=[slug]),
        "itineraries": reverse("organise:itineraries", args=[slug]),
        "dashboard": reverse("organise:dashboard", args=[slug]),
        "report": reverse("organise:report", args=[slug]),
    }
    for what, url in organiser_pages.items():
        page = client.get(url).content.decode()
        assert ("11:00" in page) if what == "board" else shows_11_to_13(page), what
    schedule = client.get(reverse("organise:export_schedule", args=[slug, "csv"])).content.decode()
    assert "2030-09-27,11:00,13:00,Labour" in schedule
    assert shows_11_to_13(client.get(reverse("workshops:detail", args=[slug])).content.decode())

    client.logout()
    sign_in(client, participant)
    assert shows_11_to_13(client.get(reverse("worksheets:my_day")).content.decode())
    assert shows_11_to_13(client.get(reverse("worksheets:worksheet", args=[session.pk])).content.decode())
    pdf = PdfReader(io.BytesIO(client.get(reverse("worksheets:download")).content))
    assert shows_11_to_13("".join(page.extract_text() for page in pdf.pages))
    client.post(reverse("worksheets:email_copy"))
    assert shows_11_to_13(mail.outbox[0].body)

    client.logout()
    sign_in(client, facilitator)
    assert shows_11_to_13(client.get(reverse("worksheets:my_day")).content.decode())
    assert shows_11_to_13(client.get(reverse("worksheets:assignment", args=[session.pk])).content.decode())
    ical = client.get(reverse("worksheets:rotation_ical")).content.decode()
    # Dakar keeps UTC all year: icalendar writes its times as UTC ("Z"), 11:00 either way.
    assert "DTSTART:20300927T110000Z" in ical
    assert "DTEND:20300927T130000Z" in ical
    event = next(iter(Calendar.from_ical(ical).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2030, 9, 27, 11, tzinfo=DAKAR)


def test_ical_gives_times_on_the_workshops_clock_with_its_zone(client):
    workshop = f.workshop(timezone="Asia/Manila")
    session = f.session(
        workshop, start=datetime(2030, 9, 27, 9, tzinfo=MANILA), end=datetime(2030, 9, 27, 11, tzinfo=MANILA)
    )
    facilitator = f.facilitator(workshop)
    f.assignment(facilitator, session, f.group(workshop))
    sign_in(client, facilitator)
    ical = client.get(reverse("worksheets:rotation_ical")).content.decode()
    assert "DTSTART;TZID=Asia/Manila:20300927T090000" in ical
    assert "DTEND;TZID=Asia/Manila:20300927T110000" in ical
    calendar = Calendar.from_ical(ical)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Manila"]


# -- daylight saving -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "first_day", "utc_hours"),
    [
        # Chile leaves summer time in the night from Saturday 6 to Sunday 7 April 2030 (UTC-3 -> UTC-4).
        (SANTIAGO, date(2030, 4, 6), (14, 15)),
        # Switzerland does on Sunday 27 October 2030 at 03:00 (UTC+2 -> UTC+1).
        (ZURICH, date(2030, 10, 26), (9, 10)),
    ],
)
def test_session_times_hold_across_a_daylight_saving_change(client, organiser, zone, first_day, utc_hours):
    second_day = first_day + timedelta(days=1)
    workshop = f.workshop(organisers=[organiser], timezone=str(zone), start_date=first_day, end_date=second_day)
    client.force_login(organiser)
    data = workshop_form(
        workshop=workshop,
        organiser=organiser,
        sessions=[
            ("Before", f"{first_day} 11:00", f"{first_day} 13:00"),
            ("After", f"{second_day} 11:00", f"{second_day} 13:00"),
        ],
    )
    post_ok(client, admin_url(Workshop, "change", workshop.pk), data)
    before, after = BreakoutSession.objects.filter(workshop=workshop).order_by("start")
    assert (before.start.astimezone(ZoneInfo("UTC")).hour, after.start.astimezone(ZoneInfo("UTC")).hour) == utc_hours
    assert before.start.utcoffset() == after.start.utcoffset()  # both read back in UTC
    assert before.start.astimezone(zone).utcoffset() != after.start.astimezone(zone).utcoffset()
    page = client.get(admin_url(Workshop, "change", workshop.pk)).content.decode()
    assert 'name="sessions-0-start_1" value="11:00:00"' in page
    assert 'name="sessions-1-start_1" value="11:00:00"' in page
    programme = client.get(reverse("workshops:detail", args=[workshop.slug])).content.decode()
    assert len(re.findall(r"11:00(?!:)", programme)) == 2  # not the 11:00:00 of machine-readable times


def test_a_time_that_does_not_exist_in_the_workshops_zone_is_refused_naming_it(client, organiser):
    # Chile skips from 00:00 to 01:00 on Sunday 8 September 2030: 00:30 never happens there.
    workshop = f.workshop(
        organisers=[organiser], timezone="America/Santiago", start_date=date(2030, 9, 7), end_date=date(2030, 9, 8)
    )
    client.force_login(organiser)
    data = workshop_form(
        workshop=workshop, organiser=organiser, sessions=[("Night", "2030-09-08 00:30", "2030-09-08 02:00")]
    )
    page = client.post(admin_url(Workshop, "change", workshop.pk), data).content.decode()
    assert "couldn’t be interpreted in time zone America/Santiago" in page
    assert not BreakoutSession.objects.filter(workshop=workshop).exists()


# -- sessions outside the workshop's days ---------------------------------------------------------


def session_in(workshop, start, hours=2) -> BreakoutSession:
    return BreakoutSession(workshop=workshop, title="Labour", start=start, end=start + timedelta(hours=hours))


def outside_message(first: date, last: date, day: date) -> str:
    return (
        f"The workshop runs from {date_format(first, 'DATE_FORMAT')} to {date_format(last, 'DATE_FORMAT')}: "
        f"this session is on {date_format(day, 'DATE_FORMAT')}. Change its date, or the workshop’s days."
    )


def test_session_outside_workshop_days_is_refused_naming_the_days():
    workshop = f.workshop(start_date=date(2030, 9, 27), end_date=date(2030, 9, 28))
    with pytest.raises(ValidationError) as refused:
        session_in(workshop, datetime(2030, 10, 12, 11, tzinfo=ZURICH)).full_clean()
    assert refused.value.message_dict == {
        "start": [outside_message(date(2030, 9, 27), date(2030, 9, 28), date(2030, 10, 12))]
    }


def test_session_outside_workshop_days_is_refused_in_spanish_and_french():
    workshop = f.workshop(start_date=date(2030, 9, 27), end_date=date(2030, 9, 28))
    session = session_in(workshop, datetime(2030, 9, 26, 11, tzinfo=ZURICH))
    first, last, day = date(2030, 9, 27), date(2030, 9, 28), date(2030, 9, 26)
    expected = {
        "es": "El taller se celebra del {first} al {last}: esta sesión es el {day}. Cambie su fecha o los días del taller.",
        "fr": "L’atelier a lieu du {first} au {last}\u00a0: cette session est le {day}. Changez sa date, ou les jours de l’atelier.",
    }
    for language, message in expected.items():
        with translation.override(language):
            dates = {k: date_format(v, "DATE_FORMAT") for k, v in (("first", first), ("last", last), ("day", day))}
            with pytest.raises(ValidationError) as refused:
                session.full_clean()
        assert refused.value.message_dict == {"start": [message.format(**dates)]}, language


def test_session_ending_after_the_last_day_is_refused():
    workshop = f.workshop(start_date=date(2030, 9, 27), end_date=date(2030, 9, 28))
    with pytest.raises(ValidationError) as refused:
        session_in(workshop, datetime(2030, 9, 28, 23, tzinfo=ZURICH)).full_clean()
    assert list(refused.value.message_dict) == ["end"]


def test_session_ending_at_midnight_of_the_last_day_is_accepted():
    workshop = f.workshop(start_date=date(2030, 9, 27), end_date=date(2030, 9, 28))
    session_in(workshop, datetime(2030, 9, 28, 22, tzinfo=ZURICH)).full_clean()


@pytest.mark.parametrize(
    ("zone", "start", "accepted"),
    [
        # 20:00 on the last day in Santiago is already the next day in Zurich: inside.
        (SANTIAGO, datetime(2030, 9, 28, 20, tzinfo=SANTIAGO), True),
        # 05:00 on the first day in Manila is the day before in Zurich: inside.
        (MANILA, datetime(2030, 9, 27, 5, tzinfo=MANILA), True),
        # 01:00 the day after in Manila is still the last day in Zurich: outside.
        (MANILA, datetime(2030, 9, 29, 1, tzinfo=MANILA), False),
    ],
)
def test_session_days_are_counted_in_workshop_zone(zone, start, accepted):
    workshop = f.workshop(timezone=str(zone), start_date=date(2030, 9, 27), end_date=date(2030, 9, 28))
    session = session_in(workshop, start, hours=1)
    if accepted:
        session.full_clean()
    else:
        with pytest.raises(ValidationError):
            session.full_clean()


def test_workshop_page_refuses_a_session_outside_its_days(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    client.force_login(organiser)
    data = workshop_form(
        workshop=workshop, organiser=organiser, sessions=[("Labour", "2030-10-12 11:00", "2030-10-12 13:00")]
    )
    page = client.post(admin_url(Workshop, "change", workshop.pk), data).content.decode()
    assert f"this session is on {date_format(date(2030, 10, 12), 'DATE_FORMAT')}." in page
    assert not BreakoutSession.objects.filter(workshop=workshop).exists()


def test_workshop_add_page_refuses_a_session_outside_the_days_typed_on_it(client, organiser):
    client.force_login(organiser)
    data = workshop_form(
        organiser=organiser,
        timezone="Asia/Manila",
        start_date="2030-09-27",
        end_date="2030-09-28",
        # 01:00 on the 29th in Manila is still the 28th in Zurich: outside all the same.
        sessions=[("Labour", "2030-09-29 01:00", "2030-09-29 02:00")],
    )
    page = client.post(admin_url(Workshop, "add"), data).content.decode()
    assert outside_message(date(2030, 9, 27), date(2030, 9, 28), date(2030, 9, 29)) in page
    assert not Workshop.objects.filter(slug="new-workshop").exists()


def existing_session_form(session, start: str, end: str) -> dict:
    data = {
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": str(session.pk),
        "sessions-0-workshop": str(session.workshop_id),
        "sessions-0-title_en": session.title,
        "sessions-0-facilitators_required": "2",
    }
    data.update(split("sessions-0-", "start", start))
    data.update(split("sessions-0-", "end", end))
    return data


def test_moving_workshop_days_away_from_its_sessions_is_refused(client, organiser):
    workshop = f.workshop(organisers=[organiser])
    session = f.session(workshop)  # 27 September 2030, 11:00-13:00
    client.force_login(organiser)
    data = workshop_form(workshop=workshop, organiser=organiser, start_date="2030-10-01", end_date="2030-10-02")
    data.update(existing_session_form(session, "2030-09-27 11:00", "2030-09-27 13:00"))
    page = client.post(admin_url(Workshop, "change", workshop.pk), data).content.decode()
    assert outside_message(date(2030, 10, 1), date(2030, 10, 2), date(2030, 9, 27)) in page
    workshop.refresh_from_db()
    assert workshop.start_date == date(2030, 9, 27)


def test_moving_workshop_days_with_its_sessions_in_one_go_is_accepted(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    session = f.session(workshop)
    client.force_login(organiser)
    data = workshop_form(workshop=workshop, organiser=organiser, start_date="2030-10-01", end_date="2030-10-02")
    data.update(existing_session_form(session, "2030-10-01 11:00", "2030-10-01 13:00"))
    post_ok(client, admin_url(Workshop, "change", workshop.pk), data)
    session.refresh_from_db()
    assert session.start == datetime(2030, 10, 1, 11, tzinfo=DAKAR)


def test_correcting_a_workshops_zone_keeps_every_time_of_day(client, organiser):
    """Times were typed in the wrong zone: after the correction 11:00 is still 11:00, now in Dakar."""
    workshop = f.workshop(organisers=[organiser])  # Europe/Zurich, by mistake
    session = f.session(workshop)  # 27 September 2030, 11:00-13:00 in Zurich
    facilitator = f.facilitator(workshop)
    Availability.objects.create(
        facilitator=facilitator,
        start=datetime(2030, 9, 27, 9, tzinfo=ZURICH),
        end=datetime(2030, 9, 27, 17, tzinfo=ZURICH),
    )
    client.force_login(organiser)
    data = workshop_form(workshop=workshop, organiser=organiser, timezone="Africa/Dakar")
    data.update(existing_session_form(session, "2030-09-27 11:00", "2030-09-27 13:00"))  # as the page shows it
    response = post_ok(client, admin_url(Workshop, "change", workshop.pk), data)
    session.refresh_from_db()
    assert (session.start, session.end) == (
        datetime(2030, 9, 27, 11, tzinfo=DAKAR),
        datetime(2030, 9, 27, 13, tzinfo=DAKAR),
    )
    window = Availability.objects.get(facilitator=facilitator)
    assert (window.start, window.end) == (
        datetime(2030, 9, 27, 9, tzinfo=DAKAR),
        datetime(2030, 9, 27, 17, tzinfo=DAKAR),
    )
    page = client.get(response["Location"]).content.decode()
    assert "The time zone is now Africa/Dakar: sessions and availability keep their times of day." in page


# -- personal links ---------------------------------------------------------------------------------


def test_personal_link_expires_at_midnight_in_workshop_zone():
    workshop = f.workshop(timezone="Asia/Manila", links_valid_until=date(2030, 10, 31))
    participant = f.participant(workshop)
    assert link_expires_at(person=participant) == datetime(2030, 11, 1, tzinfo=MANILA)
    assert timezone.get_current_timezone_name() == "Europe/Zurich"


def test_a_workshops_zone_does_not_outlive_its_page(client, organiser):
    # The test client serves requests in this thread: a zone left active would show here.
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    client.force_login(organiser)
    assert client.get(admin_url(Workshop, "change", workshop.pk)).status_code == 200
    assert timezone.get_current_timezone_name() == "Europe/Zurich"


def test_workshop_add_page_drops_the_admins_server_zone_note(client, organiser):
    # The zone is chosen on the page: the admin's note would name the server's (Europe/Zurich).
    client.force_login(organiser)
    page = client.get(admin_url(Workshop, "add")).content.decode()
    assert page.count('src="/static/js/admin_zone_unknown.js"') == 1


def test_session_add_page_drops_the_admins_server_zone_note(client, organiser):
    client.force_login(organiser)
    page = client.get(admin_url(BreakoutSession, "add")).content.decode()
    assert page.count('src="/static/js/admin_zone_unknown.js"') == 1
    assert "Times are in the time zone of the workshop chosen above." in page


def test_workshop_change_page_keeps_the_admins_note_in_the_workshops_zone(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    client.force_login(organiser)
    page = client.get(admin_url(Workshop, "change", workshop.pk)).content.decode()
    assert "admin_zone_unknown.js" not in page
    assert 'data-admin-server-timezone="Africa/Dakar"' in page


def test_workshop_change_page_names_the_zone_above_the_sessions_in_words(client, organiser):
    workshop = f.workshop(organisers=[organiser], timezone="Africa/Dakar")
    client.force_login(organiser)
    page = client.get(admin_url(Workshop, "change", workshop.pk)).content.decode()
    assert (
        '<p class="help zone-note" id="sessions-zone-note">Times are in the workshop’s time zone, Africa/Dakar.</p>'
        in page
    )
    # Inlines without date-times say nothing about zones.
    assert 'id="rooms-zone-note"' not in page
