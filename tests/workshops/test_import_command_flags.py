"""The import_people command's choices (issue 14): `--map` a column, `--default` a missing one,
`--skip-refused` to import the valid rows alone."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories as f
from workshops.models import Participant

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registration"
ODD = (
    "Timestamp,Full name,Email address,Nation,Which languages can you work in?\n"
    '2030-01-02 10:00,Ana Martínez,ana@example.org,Colombia,"Spanish, English"\n'
    "2030-01-02 11:00,Bo Svensson,bo@example.org,Sweden,English\n"
)


@pytest.fixture
def workshop():
    return f.workshop()


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_people", *args, stdout=out)
    return out.getvalue()


def people(workshop):
    return sorted(Participant.objects.filter(workshop=workshop).values_list("email", "country", "languages"))


@pytest.fixture
def odd(tmp_path):
    path = tmp_path / "form.csv"
    path.write_text(ODD, encoding="utf-8")
    return str(path)


def test_map_takes_a_column_for_another(workshop, odd):
    with pytest.raises(CommandError, match="no “Country” column"):
        run(workshop.slug, odd)
    output = run(workshop.slug, odd, "--map", "Which languages can you work in?=languages", "--map", "nation = country")
    assert "Which languages can you work in? → Languages" in output
    assert output.splitlines()[-1] == "Imported: 2 created, 0 updated, 0 already up to date."
    assert people(workshop) == [("ana@example.org", "CO", ["es", "en"]), ("bo@example.org", "SE", ["en"])]


def test_map_can_ignore_a_column(workshop, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail,Country,Languages,Organisation\nAna,ana@example.org,Chile,es,Cancillería\n")
    run(workshop.slug, str(path), "--map", "Organisation=ignore")
    assert Participant.objects.get().organisation == ""


@pytest.mark.parametrize(
    "flag, message",
    [
        ("Nowhere=languages", "The file has no column “Nowhere”"),
        ("Nation=password", "“password” is not a column that can be imported"),
        ("Nation", "Write --map as “header=column”"),
    ],
)
def test_a_wrong_map_is_refused_with_the_reason(workshop, odd, flag, message):
    with pytest.raises(CommandError, match=message):
        run(workshop.slug, odd, "--map", flag)
    assert Participant.objects.count() == 0


def test_default_fills_a_missing_column_and_says_so(workshop, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail,Country\nAna,ana@example.org,Chile\nBo,bo@example.org,Sweden\n")
    output = run(workshop.slug, str(path), "--default", "languages=en", "--default", "organisation=IOM")
    assert "Default for every row: Languages = en" in output and "Default for every row: Organisation = IOM" in output
    assert people(workshop) == [("ana@example.org", "CL", ["en"]), ("bo@example.org", "SE", ["en"])]
    assert set(Participant.objects.values_list("organisation", flat=True)) == {"IOM"}


def test_a_default_for_a_column_the_file_has_is_not_used_and_said_so(workshop):
    output = run(workshop.slug, str(FIXTURES / "inscriptions_fr.csv"), "--default", "languages=ar", "--dry-run")
    assert "Not used, because the file has the column: Languages" in output
    with pytest.raises(CommandError, match="“colour” is not a column that can be imported"):
        run(workshop.slug, str(FIXTURES / "inscriptions_fr.csv"), "--default", "colour=blue")


def test_skip_refused_imports_the_valid_rows_and_lists_the_others(workshop):
    path = str(FIXTURES / "registration_errors.csv")
    output = run(workshop.slug, path, "--skip-refused")
    assert "Line 4 (Chidi Okafor <chidi.okafor@example.org>): Unknown country “Atlantis”" in output
    assert output.splitlines()[-1] == ("Imported: 1 created, 0 updated, 0 already up to date; 5 refused rows left out.")
    assert [email for email, _country, _languages in people(workshop)] == ["ana.martinez@example.org"]
    # Without the flag, all or nothing as before.
    other = f.workshop()
    with pytest.raises(CommandError, match="5 rows refused: nothing imported."):
        run(other.slug, path)
    assert Participant.objects.filter(workshop=other).count() == 0


def test_skipped_rows_are_printed_with_their_line_and_reason(workshop, tmp_path):
    """i14read's skipped rows (withdrawn, blank) reach the command's output: nothing left out without a word."""
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,E-mail,Country,Languages,Status\n"
        "Ana,ana@example.org,Chile,es,Confirmed\n"
        "Bo,bo@example.org,Sweden,en,Cancelled\n"
    )
    output = run(workshop.slug, str(path))
    assert "Line 3 (Bo <bo@example.org>) skipped: registration withdrawn (“Cancelled”)" in output
    assert [email for email, _country, _languages in people(workshop)] == ["ana@example.org"]


def test_a_column_mapped_to_the_registration_state_skips_withdrawn_rows(workshop, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,E-mail,Country,Languages,Etapa\nAna,ana@example.org,Chile,es,ok\nBo,bo@example.org,Sweden,en,Refunded\n"
    )
    output = run(workshop.slug, str(path), "--map", "Etapa=registration_state")
    assert "Line 3 (Bo <bo@example.org>) skipped" in output
    assert [email for email, _country, _languages in people(workshop)] == ["ana@example.org"]


def test_a_file_without_languages_is_imported_with_a_default(workshop, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail,Country\nAna,ana@example.org,Chile\n")
    with pytest.raises(CommandError, match="No languages column: choose a default"):
        run(workshop.slug, str(path))
    run(workshop.slug, str(path), "--default", "languages=es")
    assert people(workshop) == [("ana@example.org", "CL", ["es"])]
