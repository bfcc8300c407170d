import pytest
from django.core.exceptions import ValidationError

from curriculum.models import Section, Volume

pytestmark = pytest.mark.django_db


def test_section_number_must_look_like_volume_dot_section():
    volume = Volume.objects.create(number=2, title="Developing Migration Policy")
    Section(volume=volume, number="2.6", title="Migration and Labor").full_clean()
    with pytest.raises(ValidationError) as excinfo:
        Section(volume=volume, number="two.six", title="?").full_clean()
    assert "A section number is a volume and a section, such as 2.6." in str(excinfo.value)


def test_section_must_sit_in_its_volume():
    volume = Volume.objects.create(number=2, title="Developing Migration Policy")
    with pytest.raises(ValidationError) as excinfo:
        Section(volume=volume, number="3.12", title="Irregular Migration").full_clean()
    assert "Section 3.12 belongs to volume 3." in str(excinfo.value)


def test_sections_sort_numerically_within_a_volume():
    volume = Volume.objects.create(number=2, title="Developing Migration Policy")
    for number in ("2.10", "2.9", "2.1"):
        Section.objects.create(volume=volume, number=number, title=number)
    assert [s.number for s in Section.objects.all()] == ["2.1", "2.9", "2.10"]
