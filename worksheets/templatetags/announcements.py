"""`{% announcement_banners %}` in the base layout: the current announcements of the participant or
facilitator signed in through their personal link, as banners their page's script keeps up to date
(static/js/announcements.js); nothing (and no query) for anyone else."""

from django import template
from django.conf import settings

from workshops.announcements import announcements_for_user

register = template.Library()


@register.inclusion_tag("worksheets/includes/announcements.html", takes_context=True)
def announcement_banners(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(request, "personal_link", False) or not user.is_authenticated:
        return {"shown": False}
    return {
        "shown": True,
        "announcements": list(announcements_for_user(user=user)),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "poll_seconds": settings.ANNOUNCEMENTS_POLL_SECONDS,
    }
