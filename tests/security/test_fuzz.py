"""Hostile input (huge, NUL bytes, invalid UTF-8, markup) at every form and endpoint that takes input:
never a server error, and stored markup is shown escaped wherever it is shown back."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests import factories as f
from worksheets.enums import Sharing
from worksheets.models import Answer, TeamNote

from .conftest import login_as

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
NASTY = [SCRIPT, IMG, "\x00", "a\x00b", "x" * 25_000, "é" * 10_000, "{{ 7|add:7 }}", "%(name)s", "' OR 1=1 --", ""]
hostile_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
hostile_value = st.one_of(
    hostile_text,
    st.integers(),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
)
raw_bytes = st.one_of(
    st.binary(max_size=500), st.sampled_from([b"\xff\xfe\x00", b"\xc3\x28", b'{"text": "\xff"}', b"\x00" * 100])
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def client_as(world, role) -> Client:
    client = Client(raise_request_exception=False)
    login_as(client, world, role)
    return client


def post_raw(client, url, body: bytes, content_type):
    return client.generic("POST", url, body, content_type=content_type)


@FUZZ
@given(
    payload=st.dictionaries(st.sampled_from(["question", "text", "scale", "revision"]), hostile_value), body=raw_bytes
)
def test_worksheet_autosave(world, payload, body):
    client = client_as(world, "participant")
    url = reverse("worksheets:autosave", kwargs={"session_id": world["mine"]["breakoutsession"].pk})
    payload.setdefault("question", world["mine"]["question"].pk)
    assert client.post(url, json.dumps(payload), content_type="application/json").status_code < 500
    assert post_raw(client, url, body, "application/json").status_code < 500


EDGE_PAYLOADS = [
    {"question": float("inf")},
    {"question": 2**70, "text": "x", "revision": 1},
    {"question": "QUESTION", "text": "x", "revision": 2**70},
    {"question": "QUESTION", "text": "x", "revision": -(2**70)},
    {"question": "QUESTION", "scale": 2**70, "revision": 1},
    {"question": "QUESTION", "text": "a\x00b", "revision": 1},
    {"question": "QUESTION", "text": ["a"], "revision": 1},
    [1, 2],
    None,
]


@pytest.mark.parametrize("payload", EDGE_PAYLOADS, ids=repr)
def test_worksheet_autosave_edge_cases(world, payload):
    client = client_as(world, "participant")
    url = reverse("worksheets:autosave", kwargs={"session_id": world["mine"]["breakoutsession"].pk})
    if isinstance(payload, dict) and payload.get("question") == "QUESTION":
        payload = {**payload, "question": world["mine"]["question"].pk}
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code in (200, 400, 409), response.content


@FUZZ
@given(payload=st.dictionaries(st.sampled_from(["text", "revision"]), hostile_value), body=raw_bytes)
def test_notes_autosave(world, payload, body):
    client = client_as(world, "facilitator")
    url = reverse("worksheets:notes_autosave", kwargs={"session_id": world["mine"]["breakoutsession"].pk})
    assert client.post(url, json.dumps(payload), content_type="application/json").status_code < 500
    assert post_raw(client, url, body, "application/json").status_code < 500


# Text JSON carries as "\\ud800": json.loads accepts a lone surrogate, but no database or encoder will.
LONE_SURROGATES = ["\ud800", "before \udfff after", "\udc00\ud800", "emoji cut in half \ud83d"]
SURROGATE_MESSAGE = "The text contains an invalid character (U+{code:04X}): it was not saved. Remove it and try again."
# Deep enough for json.loads to raise RecursionError.
DEEP_BODIES = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"question": 1, "text": ' + b"[" * 100_000 + b"]" * 100_000 + b', "revision": 1}',
    b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
]


def _stored(world):
    return (
        list(Answer.objects.order_by("pk").values_list("question_id", "text", "revision")),
        list(TeamNote.objects.order_by("pk").values_list("text", "revision")),
    )


@pytest.mark.parametrize("path", ["one-statement update", "full-path update", "first answer"])
@pytest.mark.parametrize("text", LONE_SURROGATES, ids=ascii)
def test_worksheet_autosave_lone_surrogate_is_refused_and_stores_nothing(world, text, path):
    mine = world["mine"]
    answer = Answer.objects.get(worksheet=mine["worksheet"], question=mine["question"])
    question = f.question(mine["workshop"]) if path == "first answer" else mine["question"]
    payload = {"question": question.pk, "text": text, "revision": 0 if path == "first answer" else answer.revision}
    if path == "full-path update":
        payload["revision"] = answer.revision + 5  # the one-statement update matches nothing: the full path
    before = _stored(world)
    response = client_as(world, "participant").post(
        reverse("worksheets:autosave", kwargs={"session_id": mine["breakoutsession"].pk}),
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 400
    first = next(char for char in text if 0xD800 <= ord(char) <= 0xDFFF)
    assert response.json() == {"error": SURROGATE_MESSAGE.format(code=ord(first))}
    assert _stored(world) == before


@pytest.mark.parametrize("text", LONE_SURROGATES, ids=ascii)
def test_notes_autosave_lone_surrogate_is_refused_and_stores_nothing(world, text):
    mine = world["mine"]
    note = TeamNote.objects.get(session=mine["breakoutsession"], group=mine["group"])
    before = _stored(world)
    response = client_as(world, "facilitator").post(
        reverse("worksheets:notes_autosave", kwargs={"session_id": mine["breakoutsession"].pk}),
        json.dumps({"text": text, "revision": note.revision}),
        content_type="application/json",
    )
    assert response.status_code == 400
    first = next(char for char in text if 0xD800 <= ord(char) <= 0xDFFF)
    assert response.json() == {"error": SURROGATE_MESSAGE.format(code=ord(first))}
    assert _stored(world) == before


@pytest.mark.parametrize("body", DEEP_BODIES, ids=["array", "text", "object"])
@pytest.mark.parametrize("endpoint", ["worksheets:autosave", "worksheets:notes_autosave"])
def test_autosave_deeply_nested_json_is_refused_and_stores_nothing(world, endpoint, body):
    role = "participant" if endpoint == "worksheets:autosave" else "facilitator"
    before = _stored(world)
    response = post_raw(
        client_as(world, role),
        reverse(endpoint, kwargs={"session_id": world["mine"]["breakoutsession"].pk}),
        body,
        "application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"error": "The request could not be read."}
    assert _stored(world) == before


surrogate_text = st.text(alphabet=st.characters(categories=["Cs", "Ll", "Zs", "So"]), min_size=1, max_size=50)


@FUZZ
@given(text=surrogate_text, depth=st.integers(min_value=0, max_value=120_000), revision=st.sampled_from([0, 1, 2]))
@example(text="\ud800\udc00", depth=0, revision=0)  # a pair: one valid character once read (was flaky)
def test_autosave_surrogates_and_nesting_never_a_server_error(world, text, depth, revision):
    mine = world["mine"]
    session = mine["breakoutsession"].pk
    participant, facilitator = client_as(world, "participant"), client_as(world, "facilitator")
    # Sent as JSON, a high surrogate followed by a low one ("\ud800\udc00") is read back as one
    # valid character: only a surrogate still alone after that is bad input.
    has_surrogate = any(0xD800 <= ord(char) <= 0xDFFF for char in json.loads(json.dumps(text)))
    before = _stored(world)
    for client, url, payload in [
        (participant, reverse("worksheets:autosave", kwargs={"session_id": session}),
         {"question": mine["question"].pk, "text": text, "revision": revision}),
        (facilitator, reverse("worksheets:notes_autosave", kwargs={"session_id": session}),
         {"text": text, "revision": revision}),
    ]:  # fmt: skip
        response = client.post(url, json.dumps(payload), content_type="application/json")
        assert response.status_code < 500
        if has_surrogate:
            assert response.status_code == 400
        nested = b'{"text": ' + b"[" * depth + b"]" * depth + b"}"
        assert post_raw(client, url, nested, "application/json").status_code == 400
    if has_surrogate:
        assert _stored(world) == before


FORMS = {
    # url name: (role, fields, method)
    "worksheets:status": ("participant", ["action", "sharing"], "POST"),
    "workshops:lost_link": ("anonymous", ["email"], "POST"),
    "organise:move_participant": ("organiser", ["participant", "group"], "POST"),
    "organise:swap_facilitators": ("organiser", ["session", "first", "second"], "POST"),
    "organise:run_start": ("organiser", ["kind", "time_limit"], "POST"),
    "organise:report": ("organiser", ["group", "language_mode", "region"], "GET"),
    "organise:report_csv": ("organiser", ["group", "language_mode", "region"], "GET"),
    "organise:invitation_resend": ("organiser", ["person", "batch"], "POST"),
}


def _url(name, world):
    mine = world["mine"]
    if name.startswith("worksheets:"):
        return reverse(name, kwargs={"session_id": mine["breakoutsession"].pk})
    if name == "workshops:lost_link":
        return reverse(name)
    return reverse(name, kwargs={"slug": mine["workshop"].slug})


@pytest.mark.parametrize("name", sorted(FORMS))
@FUZZ
@given(data=st.data(), body=raw_bytes)
def test_forms(world, name, data, body):
    role, fields, method = FORMS[name]
    client = client_as(world, role)
    url = _url(name, world)
    values = {field: data.draw(hostile_text, label=field) for field in fields}
    if method == "GET":
        response = client.get(url, values)
    else:
        response = client.post(url, values)
        assert post_raw(client, url, body, "application/x-www-form-urlencoded").status_code < 500
        assert post_raw(client, url, body, "multipart/form-data; boundary=xyz").status_code < 500
    assert response.status_code < 500


@FUZZ
@given(
    content=raw_bytes,
    filename=st.sampled_from(["people.csv", "people.xlsx", "x.txt", "../../etc/passwd", "a\x00.csv"]),
    kind=hostile_text,
)
def test_import_upload_with_random_bytes(world, content, filename, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world, "organiser")
    url = reverse("organise:import", kwargs={"slug": world["mine"]["workshop"].slug})
    upload = SimpleUploadedFile(filename.replace("\x00", ""), content)
    response = client.post(url, {"file": upload, "kind": kind})
    assert response.status_code < 500
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code < 500


def store_markup(world, text):
    mine = world["mine"]
    answer = Answer.objects.get(worksheet=mine["worksheet"], question=mine["question"])
    client = client_as(world, "participant")
    response = client.post(
        reverse("worksheets:autosave", kwargs={"session_id": mine["breakoutsession"].pk}),
        json.dumps({"question": mine["question"].pk, "text": text, "revision": answer.revision}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return client


@pytest.mark.parametrize("markup", [SCRIPT, IMG])
def test_stored_markup_is_escaped_wherever_it_is_shown(world, markup):
    mine = world["mine"]
    text = f"before {markup} after"
    participant = store_markup(world, text)
    mine["worksheet"].refresh_from_db()
    assert mine["worksheet"].sharing == Sharing.NAMED
    pages = {
        "worksheet": participant.get(
            reverse("worksheets:worksheet", kwargs={"session_id": mine["breakoutsession"].pk})
        ),
        "facilitator's shared answers": client_as(world, "facilitator").get(
            reverse("worksheets:assignment", kwargs={"session_id": mine["breakoutsession"].pk})
        ),
        "report": client_as(world, "organiser").get(reverse("organise:report", kwargs={"slug": mine["workshop"].slug})),
    }
    for page, response in pages.items():
        content = response.content.decode()
        assert response.status_code == 200, page
        assert "before " in content, f"{page} does not show the answer"
        assert markup not in content, page
        assert "<img src=x" not in content and "<script>alert" not in content, page
