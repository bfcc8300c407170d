"""Spoken languages a participant, a facilitator or a room's interpretation may cover.

Stored as ISO 639-1 codes. The list is deliberately broad (delegations to IOM meetings come
from 100+ countries); add a code here when a registration desk needs one.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("pt", _("Portuguese")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("el", _("Greek")),
    ("tr", _("Turkish")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("id", _("Indonesian")),
    ("ms", _("Malay")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("tl", _("Filipino")),
    ("sw", _("Swahili")),
    ("am", _("Amharic")),
    ("ha", _("Hausa")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
    ("ro", _("Romanian")),
    ("sq", _("Albanian")),
    ("hy", _("Armenian")),
    ("ka", _("Georgian")),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def language_names(codes) -> str:
    """ "English, Spanish" for ["en", "es"], in the active interface language."""
    return ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in codes)


def validate_language_list(value):
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."))
    unknown = sorted(set(value) - LANGUAGE_CODES)
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s."), params={"codes": ", ".join(unknown)}, code="unknown_language"
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A language is listed twice."), code="duplicate_language")


class LanguageListField(models.JSONField):
    """A list of ISO 639-1 codes, edited as a multiple choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_language_list)

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.MultipleChoiceField,
            "choices": LANGUAGE_CHOICES,
            "widget": forms.SelectMultiple(attrs={"size": 6}),
            "show_hidden_initial": False,
        }
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)
