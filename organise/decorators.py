"""The organiser's guard: every /organise/<slug>/ view is wrapped in one of these."""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from workshops.models import Workshop
from workshops.rules import workshops_organised_by


def _with_workshop(view):
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        # 404 rather than 403: for anyone outside its team, the workshop does not exist.
        request.workshop = get_object_or_404(Workshop.objects.filter(workshops_organised_by(request.user)), slug=slug)
        return view(request, slug, *args, **kwargs)

    return wrapper


def organiser_required(view):
    """The view answers only the workshop's organisers (`workshops.rules`), with `request.workshop` set.

    Anyone not signed in as active staff is sent to the back office's sign-in page; a staff user
    outside the workshop's team gets 404, the same as for a workshop that does not exist.
    """
    return staff_member_required(_with_workshop(view))


def organiser_post_required(view):
    """`organiser_required` for a view that only takes POST: 405 to other methods, before the workshop is read."""
    return staff_member_required(require_POST(_with_workshop(view)))
