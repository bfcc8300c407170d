"""Dates in each language's own unambiguous long form, on pages and in e-mails."""

import re
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format, time_format

DAY = date(2005, 9, 27)
MOMENT = datetime(2005, 9, 27, 11, 0)

EXPECTED = {
    "en": ("Tuesday 27 September 2005", "Tuesday 27 September 2005, 11:00", "27 September"),
    "es": ("martes, 27 de septiembre de 2005", "martes, 27 de septiembre de 2005, 11:00", "27 de septiembre"),
    "fr": ("mardi 27 septembre 2005", "mardi 27 septembre 2005, 11:00", "27 septembre"),
}


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_date_formats_are_long_and_unambiguous_in_each_language(language):
    with translation.override(language):
        shown = (
            date_format(DAY, "DATE_FORMAT"),
            date_format(MOMENT, "DATETIME_FORMAT"),
            date_format(DAY, "MONTH_DAY_FORMAT"),
        )
        assert time_format(MOMENT, "TIME_FORMAT") == "11:00"
    assert shown == EXPECTED[language]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_workshop_page_shows_long_dates_in_the_readers_language(client, language):
    call_command("load_demo", stdout=StringIO())
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/workshops/idm-2005-capacity/").content.decode()
    day, _moment, _month_day = EXPECTED[language]
    # The whole programme, a heading per day and each item's times on the workshop's clock.
    assert f">{day}</h3>" in page
    assert '<time datetime="2005-09-27T11:00:00+02:00">11:00</time>' in page


TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / name for name in ("templates", "workshops", "worksheets", "organise", "curriculum")
]
NAMED = {"c", "DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT", "YEAR_MONTH_FORMAT"}


def test_templates_show_dates_only_in_named_formats():
    literal = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            for used in re.findall(r"\|date:[\"']([^\"']*)[\"']", template.read_text()):
                if used not in NAMED:
                    literal.append((template.name, used))
    assert literal == []
