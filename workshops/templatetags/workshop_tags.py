from django import template

from ..languages import language_names as _language_names

register = template.Library()


@register.filter
def language_names(codes):
    """["en", "es"] -> "English, Spanish" in the active language."""
    return _language_names(codes or [])
