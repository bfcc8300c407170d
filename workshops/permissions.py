"""Who may see what: every object a URL names is checked against the person asking."""

from django.shortcuts import get_object_or_404

from .models import Workshop


def workshop_organised_or_404(request, slug: str) -> Workshop:
    """The workshop, if the person asking organises it (or is a superuser); 404 otherwise.

    404 rather than 403: for anyone outside its team, the workshop does not exist.
    """
    return get_object_or_404(Workshop.objects.organised_by(request.user), slug=slug)
