"""Every URL of the project × every role: the expected answer of each cell, in one table.

URLs are enumerated from the resolver, so a new URL without a row here fails
`test_every_url_has_a_row`. Objects named by a URL belong to workshop A; "other" roles belong to
workshop B (or, for organisers, its team), so they must get 404 for A's objects.
Codes: 200/302/400/403/404/405 as such; "login" = a redirect to the admin's login page;
"to_me" = a redirect to /me/ (personal links); "to_admin" = a redirect to the admin's index.
"""

import itertools

import pytest
from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from organise.forms import own_message_version
from workshops import access

from .conftest import ROLES, login_as

pytestmark = pytest.mark.django_db

# Django internals we do not own: each with the reason it is left out.
SKIPPED = {
    "set_language": "the language switcher (config.views): every language pair in tests/config/test_languages.py, `next` in test_redirects.py",
    "admin:jsi18n": "Django's JavaScript catalogue: public by design",
    "admin:autocomplete": "no ModelAdmin declares autocomplete_fields",
    "admin:view_on_site": "shadowed by `view_on_site` (config/urls.py, first in line), which has its row",
    "admin:logout": "POST-only logout of whoever is logged in",
    "organisers_sign_in": "serves the address of admin:login (config/urls.py, first in line): that row is its row",
    "admin:password_change_done": "a static page after one's own password change",
}

# url name: (method, answers of anonymous, participant, other participant, facilitator, other
# facilitator, organiser, other organiser, superuser)
ORGANISER_GET = "login login login login login 200 404 200"
ORGANISER_POST = "login login login login login {ok} 404 {ok}"
EXPECTED = {
    # public
    "workshops:home": ("GET", "200 200 200 200 200 200 200 200"),
    "workshops:detail": ("GET", "200 200 200 200 200 200 200 200"),
    "curriculum:index": ("GET", "200 200 200 200 200 200 200 200"),
    "curriculum:section": ("GET", "200 200 200 200 200 200 200 200"),
    "curriculum:iamm": ("GET", "200 200 200 200 200 200 200 200"),
    "healthz": ("GET", "200 200 200 200 200 200 200 200"),
    "favicon": ("GET", "302 302 302 302 302 302 302 302"),  # to the static icon
    "service_worker": ("GET", "200 200 200 200 200 200 200 200"),  # the offline worker's script: no one's data
    "workshops:lost_link": ("GET", "200 200 200 200 200 200 200 200"),
    # the admin's "view on site" shortcut, for workshop A: a redirect to its page, 404 to another team
    "view_on_site": ("GET", "login login login login login 302 404 302"),
    "workshops:one_time_link": ("GET", "410 410 410 410 410 410 410 410"),  # a bad token: "used or expired"
    "workshops:personal_link": ("GET", "to_me to_me to_me to_me to_me to_me to_me to_me"),
    # a certificate's public check (name, workshop, dates): for anyone with its code
    "workshops:certificate_verify": ("GET", "200 200 200 200 200 200 200 200"),
    # participants and facilitators (/me/): an anonymous visitor (signed out, or a link never
    # opened) gets the page explaining how to open their personal link (403), on every page and
    # form, before any object is looked up; the autosaves answer "signed out" JSON (403). Signed-in
    # people get 404 for what is not theirs. URLs without an object (my day, the PDF, the
    # calendar) show each person their own.
    "worksheets:my_day": ("GET", "403 200 200 200 200 403 403 403"),
    "worksheets:download": ("GET", "403 200 200 404 404 404 404 404"),
    "worksheets:certificate": ("GET", "403 200 200 404 404 404 404 404"),  # each holds their own
    "worksheets:sign_out": ("POST", "200 200 200 200 200 200 200 200"),  # ends whoever's session it is
    "worksheets:email_copy": ("POST", "403 to_me to_me 404 404 404 404 404"),
    "worksheets:worksheet": ("GET", "403 200 404 404 404 404 404 404"),
    "worksheets:autosave": ("POST", "403 400 404 404 404 404 404 404"),  # anonymous: "signed out" JSON
    "worksheets:status": ("POST", "403 302 404 404 404 404 404 404"),
    # the anonymous evaluation and the knowledge check (issue 16): each participant their own forms
    "worksheets:evaluation": ("GET", "403 200 404 404 404 404 404 404"),
    "worksheets:evaluation_workshop": ("GET", "403 200 200 404 404 404 404 404"),
    "worksheets:knowledge": ("GET", "403 200 404 404 404 404 404 404"),
    "worksheets:rotation_ical": ("GET", "403 404 404 200 200 404 404 404"),
    "worksheets:day_ical": ("GET", "403 200 200 404 404 404 404 404"),  # each participant's own day
    "worksheets:assignment": ("GET", "403 404 404 200 404 404 404 404"),
    "worksheets:assignment_progress": ("GET", "404 404 404 200 404 404 404 404"),
    "worksheets:notes_autosave": ("POST", "403 404 404 400 404 404 404 404"),
    # the group's summary (report-back): the group reads it; its rapporteur and the group's facilitators of the
    # session write it (the participant here is not the rapporteur: 403); the address finds one's own group
    "worksheets:summary": ("GET", "403 200 404 404 404 404 404 404"),
    "worksheets:summary_autosave": ("POST", "403 403 404 400 404 404 404 404"),
    # the rapporteur's choice: no action chosen (400); a facilitator chose nobody (302)
    "worksheets:rapporteur": ("POST", "403 400 404 302 404 404 404 404"),
    # announcements: each person's own (JSON); dismissing A's announcement to everyone is for A's people only
    "worksheets:announcements": ("GET", "403 200 200 200 200 403 403 403"),
    "worksheets:announcement_dismiss": ("POST", "403 to_me 404 to_me 404 404 404 404"),
    # attendance (issue 16): the facilitator's roster marks (an empty form: 400); self check-in, here
    # with a forged token (404 once signed in; tests/worksheets/test_checkin.py has the real ones)
    "worksheets:attendance_autosave": ("POST", "403 404 404 400 404 404 404 404"),
    "worksheets:checkin": ("GET", "403 404 404 404 404 404 404 404"),
    # organisers
    "organise:board": ("GET", ORGANISER_GET),
    "organise:announcements": ("GET", ORGANISER_GET),
    "organise:announcement_withdraw": (
        "GET",
        ORGANISER_GET,
    ),  # the confirmation; its POST in tests/organise/test_announcements.py
    "organise:run_start": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:run": ("GET", ORGANISER_GET),
    "organise:run_status": ("GET", ORGANISER_GET),
    "organise:run_apply": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:run_discard": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:move_participant": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:swap_facilitators": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:schedule_undo": ("POST", "login login login login login 404 404 404"),  # no change of that id
    "organise:assign_facilitator": ("POST", ORGANISER_POST.format(ok=302)),  # nothing chosen: back to the board
    "organise:unlock": ("POST", ORGANISER_POST.format(ok=302)),  # nothing chosen: back to the board
    "organise:people_search": ("GET", ORGANISER_GET),  # JSON: at most 20 of the workshop's own people
    # repairing the day (tests/organise/test_repair.py): the form, a proposal, apply (unconfirmed: back to it), discard
    "organise:repair": ("GET", ORGANISER_GET),
    "organise:repair_detail": ("GET", ORGANISER_GET),
    "organise:repair_apply": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:repair_discard": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:import": ("GET", ORGANISER_GET),
    "organise:import_preview": ("GET", ORGANISER_POST.format(ok=400)),  # no upload waiting
    "organise:import_apply": ("POST", ORGANISER_POST.format(ok=400)),
    "organise:import_columns": ("POST", ORGANISER_POST.format(ok=400)),  # no upload waiting
    "organise:import_refused": ("GET", ORGANISER_POST.format(ok=400)),  # no upload waiting
    "organise:import_template": ("GET", ORGANISER_GET),
    "organise:import_done": ("GET", ORGANISER_POST.format(ok=302)),  # nothing imported: back to the form
    "organise:export_participants": ("GET", ORGANISER_GET),
    "organise:export_schedule": ("GET", ORGANISER_GET),
    "organise:invitations": ("GET", ORGANISER_GET),
    "organise:invitations_send": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:invitation_note": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:invitation_preview": ("GET", ORGANISER_GET),
    "organise:invitation_preview_html": ("GET", ORGANISER_GET),
    "organise:invitation_test": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:invitation_people": ("GET", ORGANISER_GET),
    "organise:invitation_link": ("POST", ORGANISER_POST.format(ok=200)),  # one person's link, shown once
    "organise:invitation_resend": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:invitation_batch": ("GET", ORGANISER_GET),
    "organise:invitation_batch_status": ("GET", ORGANISER_GET),
    "organise:invitation_batch_resume": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:dashboard": ("GET", ORGANISER_GET),
    "organise:dashboard_status": ("GET", ORGANISER_GET),
    "organise:attendance": ("GET", ORGANISER_GET),
    "organise:report": ("GET", ORGANISER_GET),
    # a file's page: a GET shows the button and starts nothing; its POST starts the job (tests/organise/test_report_files.py)
    "organise:report_csv": ("GET", ORGANISER_GET),
    "organise:report_xlsx": ("GET", ORGANISER_GET),
    "organise:report_back_index": ("GET", ORGANISER_GET),
    "organise:report_back": ("GET", ORGANISER_GET),
    "organise:report_back_export": ("GET", ORGANISER_GET),
    "organise:evaluation": ("GET", ORGANISER_GET),
    "organise:knowledge_questions": ("GET", ORGANISER_GET),
    "organise:evaluation_report": ("GET", ORGANISER_GET),
    "organise:printables": ("GET", ORGANISER_GET),
    "organise:room_signs": ("GET", ORGANISER_GET),
    "organise:rosters": ("GET", ORGANISER_GET),
    "organise:itineraries": ("GET", ORGANISER_GET),
    "organise:badges": ("GET", ORGANISER_GET),
    # the organisers' home, and copying a workshop for its next edition
    "organisers_home": ("GET", "login login login login login 200 200 200"),
    "organise:copy": ("GET", ORGANISER_GET),
    "organise:questions": ("GET", ORGANISER_GET),
    "organise:programme": ("GET", ORGANISER_GET),
    "organise:programme_item": ("GET", ORGANISER_GET),
    "organise:programme_item_delete": ("GET", ORGANISER_GET),  # GET asks first; the POST deletes
    "organise:session_guide": ("GET", ORGANISER_GET),
    "setup_new": ("GET", "login login login login login 200 200 200"),
    "organise:setup_details": ("GET", ORGANISER_GET),
    "organise:setup_languages": ("GET", ORGANISER_GET),
    "organise:setup_rooms": ("GET", ORGANISER_GET),
    "organise:setup_sessions": ("GET", ORGANISER_GET),
    "organise:badges_pdf": ("POST", ORGANISER_POST.format(ok=302)),  # to the job's page
    "organise:certificates": ("GET", ORGANISER_GET),
    "organise:certificates_issue": ("POST", ORGANISER_POST.format(ok=302)),
    "organise:certificates_pdf": ("POST", ORGANISER_POST.format(ok=302)),  # to the job's page
    "organise:certificate_revoke": ("GET", ORGANISER_GET),  # the confirmation; its POST is in test_certificates_page.py
    "organise:summary": ("GET", ORGANISER_GET),
    "organise:summary_pdf": ("GET", ORGANISER_GET),
    "organise:summary_xlsx": ("GET", ORGANISER_GET),
    "organise:job": ("GET", ORGANISER_GET),
    "organise:job_status": ("GET", ORGANISER_GET),
    "organise:job_download": ("GET", ORGANISER_GET),  # the world's job is done, with its file
    # the back office's own pages
    "admin:index": ("GET", "login login login login login 200 200 200"),
    "admin:login": ("GET", "200 200 200 200 200 to_admin to_admin to_admin"),
    "admin:password_change": ("GET", "login login login login login 200 200 200"),
    "admin:app_list": ("GET", "login login login login login 200 200 200"),
    "admin:auth_user_password_change": ("GET", "login login login login login 403 403 200"),
}

# Admin model pages: organisers see their workshop's objects (404 for another team's), read the
# curriculum, and nothing else; the superuser sees all. Keyed by app label and model name.
SCOPED = "login login login login login 200 404 200"
SCOPED_LIST = "login login login login login 200 200 200"  # each team sees only its rows (test_admin.py)
SUPERUSER_ONLY = "login login login login login 403 403 200"
NOBODY = "login login login login login 403 403 403"
ADMIN_MODELS = {
    # model: (changelist, add, change, delete, history)
    "workshops.workshop": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.languagemode": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.room": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.group": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.breakoutsession": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.participant": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.facilitator": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.assignment": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "workshops.programmeitem": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "worksheets.question": (SCOPED_LIST, SCOPED_LIST, SCOPED, SCOPED, SCOPED),
    "worksheets.worksheet": (SCOPED_LIST, NOBODY, SCOPED, SCOPED, SCOPED),
    "curriculum.volume": (SCOPED_LIST, SUPERUSER_ONLY, SCOPED_LIST, SUPERUSER_ONLY, SCOPED_LIST),
    "curriculum.section": (SCOPED_LIST, SUPERUSER_ONLY, SCOPED_LIST, SUPERUSER_ONLY, SCOPED_LIST),
    "curriculum.iammitem": (SCOPED_LIST, SUPERUSER_ONLY, SCOPED_LIST, SUPERUSER_ONLY, SCOPED_LIST),
    "auth.user": (SUPERUSER_ONLY,) * 5,
    "auth.group": (SUPERUSER_ONLY,) * 5,
    # read-only logs: nobody adds rows by hand
    "django_tasks_database.dbtaskresult": (SUPERUSER_ONLY, NOBODY, SUPERUSER_ONLY, NOBODY, SUPERUSER_ONLY),
    "axes.accessattempt": (SUPERUSER_ONLY, NOBODY, SUPERUSER_ONLY, SUPERUSER_ONLY, SUPERUSER_ONLY),
    "axes.accesslog": (SUPERUSER_ONLY, NOBODY, SUPERUSER_ONLY, SUPERUSER_ONLY, SUPERUSER_ONLY),
    "axes.accessfailurelog": (SUPERUSER_ONLY, NOBODY, SUPERUSER_ONLY, SUPERUSER_ONLY, SUPERUSER_ONLY),
}
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history")
for _label, _answers in ADMIN_MODELS.items():
    _app, _model = _label.split(".")
    for _view, _answer in zip(ADMIN_VIEWS, _answers, strict=True):
        EXPECTED[f"admin:{_app}_{_model}_{_view}"] = ("GET", _answer)


def url_names(resolver=None, namespace=""):
    """Every named URL pattern of the project, with its namespace; unnamed ones as their regex."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


ALL_URLS = sorted(set(url_names()))
UNNAMED_ALLOWED = {
    "admin:<unnamed (?P<url>.*)$>": "the admin's catch-all: 404 or a redirect to login",
    "admin:<unnamed <path:object_id>/>": "a legacy redirect to the change page, which has its own rows",
}


def test_every_url_has_a_row():
    missing = [
        name for name in ALL_URLS if name not in EXPECTED and name not in SKIPPED and name not in UNNAMED_ALLOWED
    ]
    assert missing == []
    stale = [name for name in [*EXPECTED, *SKIPPED, *UNNAMED_ALLOWED] if name not in ALL_URLS]
    assert stale == []
    assert set(ADMIN_MODELS) == {m._meta.label_lower for m in admin.site._registry}


def _object_for_admin(world, app, model_name):
    from django.apps import apps

    model = apps.get_model(app, model_name)
    if app in ("workshops", "worksheets") and model_name in world["mine"]:
        return world["mine"][model_name]
    if model_name == "user":
        return world["users"]["organiser"]
    return model.objects.first()


def kwargs_for(name, world) -> dict:
    mine = world["mine"]
    pattern_kwargs = {
        "slug": mine["workshop"].slug,
        "session_id": mine["breakoutsession"].pk,
        "run_id": mine["run"].pk,
        "repair_id": mine["repair"].pk,
        "change_id": 999_999,  # no such change: 404 to everyone who may ask (tests/organise/test_undo.py has real ones)
        "job_id": mine["job"].pk,
        "announcement_id": mine["announcement"].pk,
        "item_id": mine["programmeitem"].pk,
        "code": mine["certificate"].code,
        "certificate_id": mine["certificate"].pk,
        "batch": mine["invitation"].batch,
        "number": world["section"].number,
        "fmt": "csv",
        "kind": "participants",
        "token": "not-a-valid-token",
        "app_label": "workshops",
        "phase": "after",
    }
    if name == "view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(mine["workshop"]).pk,
            "object_id": mine["workshop"].pk,
        }
    if name == "organise:invitation_preview_html":
        return {"slug": mine["workshop"].slug, "language": "es", "kind": "participant"}
    if name == "workshops:personal_link":
        return {"token": access.personal_link_path(person=mine["participant"]).rstrip("/").rsplit("/", 1)[1]}
    if name.startswith("admin:") and name.rsplit("_", 1)[-1] in ("change", "delete", "history", "password"):
        app_model = name.removeprefix("admin:").rsplit("_", 1)[0]
        for label in ADMIN_MODELS:
            app, model_name = label.split(".")
            if app_model == f"{app}_{model_name}":
                obj = _object_for_admin(world, app, model_name)
                return {"object_id": obj.pk if obj is not None else 0}
        if name == "admin:auth_user_password_change":
            return {"id": world["users"]["organiser"].pk}
    return pattern_kwargs


def _reverse(name, world):
    """The URL, with the kwargs its pattern takes among those the fixture offers."""
    kwargs = kwargs_for(name, world)
    for size in range(len(kwargs), -1, -1):
        for keys in itertools.combinations(kwargs, size):
            try:
                return reverse(name, kwargs={k: kwargs[k] for k in keys})
            except NoReverseMatch:
                continue
    raise AssertionError(f"cannot reverse {name}")


def post_data(name, world) -> dict:
    """Valid input naming workshop A's objects, so that only the permission decides the answer."""
    mine = world["mine"]
    return {
        "organise:move_participant": {"participant": mine["participant"].pk, "group": mine["group"].pk},
        "organise:invitation_note": {"version": own_message_version(mine["workshop"])},  # saves it unchanged
        "organise:invitation_test": {"language": "es", "kind": "participant"},
        "organise:invitation_link": {"person": f"participant:{mine['participant'].pk}"},
        "organise:invitation_resend": {
            "person": f"participant:{mine['participant'].pk}",
            "batch": "7f0c3c4e-0000-4000-8000-000000000001",
        },
    }.get(name, {})


def answer_of(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/admin/login/" in location:
            return "login"
        if location.rstrip("/").endswith("/me"):
            return "to_me"
        if location.rstrip("/").endswith("/admin"):
            return "to_admin"
    return str(response.status_code)


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_permission_matrix(client, world, name):
    method, expected = EXPECTED[name]
    url = _reverse(name, world)
    client.raise_request_exception = False
    actual = []
    for role in ROLES:
        # Failed link checks count towards django-axes' lockout (tested in tests/workshops/test_access.py);
        # this matrix is about who may see what, so each role starts with a clean slate.
        if name in ("workshops:one_time_link", "workshops:personal_link"):
            axes_reset(ip="127.0.0.1")
        login_as(client, world, role)
        response = client.get(url) if method == "GET" else client.post(url, post_data(name, world))
        actual.append(answer_of(response))
    table = dict(zip(ROLES, actual, strict=True))
    assert " ".join(actual) == expected, f"{url}: {table}"
