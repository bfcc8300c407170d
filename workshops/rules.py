"""Who may do what: the one definition of an organiser, used by views, the admin and querysets alike.

An organiser of a workshop is an active staff user in the workshop's team, or a superuser:
written once, as the filter `workshops_organised_by` (a single workshop is asked through it
too, as `organise.decorators` does). This module imports no model of ours, so the models'
querysets, the admin and the views all ask it (a superuser who is not staff may still not
enter the back office: Django's admin and `staff_member_required` ask `is_staff_member` first).
"""

from django.db.models import Q


def is_staff_member(user) -> bool:
    """May this account use the back office at all (the admin, the organiser's pages)?"""
    return user.is_active and user.is_staff


def workshops_organised_by(user, *, path: str = "") -> Q:
    """The filter "the workshop this user organises", for workshops or any model `path` leads from to one.

    Nothing is filtered for a superuser; nothing passes for anyone who is not active staff;
    otherwise the workshop's team must include the user. `path` is the lookup from the model
    filtered to its workshop ("" for workshops themselves, "workshop", "participant__workshop").
    """
    if user.is_superuser:
        return Q()
    if not is_staff_member(user):
        return Q(pk__in=[])
    return Q(**{f"{path}__organisers" if path else "organisers": user})
