from django.apps import AppConfig


class OrganiseConfig(AppConfig):
    """The organiser's back office under /organise/<slug>/ (no models: it works on the other apps')."""

    name = "organise"
