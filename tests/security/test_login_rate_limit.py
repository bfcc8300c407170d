"""Password login (the back office) is rate-limited by django-axes; personal links are not affected."""

import pytest
from django.urls import reverse

from tests import factories as f
from workshops import access

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_account_for_that_client_and_no_one_else(client):
    user = f.user(username="organiser-a")
    other = f.user(username="organiser-b")
    for _ in range(4):
        response = login(client, user.username, "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    response = login(client, user.username, "wrong")  # the fifth
    assert response.status_code == 429
    response = login(client, user.username, "pw")  # the right password, too late
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session
    # Another user from the same address, and the same user from elsewhere, still get in.
    assert login(client, other.username, "pw")["Location"] == "/admin/"
    client.logout()
    assert login(client, user.username, "pw", ip="198.51.100.9")["Location"] == "/admin/"


def test_a_success_before_the_limit_resets_the_count(client):
    user = f.user(username="organiser-a")
    for _ in range(4):
        login(client, user.username, "wrong")
    assert login(client, user.username, "pw")["Location"] == "/admin/"
    client.logout()
    for _ in range(4):
        assert login(client, user.username, "wrong").status_code == 200
    assert login(client, user.username, "pw")["Location"] == "/admin/"


def test_personal_links_work_during_a_lockout_and_bad_links_are_not_server_errors(client):
    workshop = f.workshop()
    person = f.participant(workshop, group=f.group(workshop))
    for _ in range(6):
        login(client, "someone", "wrong")
    response = client.get(access.personal_link_path(person=person), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    client.raise_request_exception = False
    assert client.get(reverse("workshops:personal_link", kwargs={"token": "AAAA-forged"})).status_code < 500
