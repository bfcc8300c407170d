"""`{% ended_session_kept_text %}` in the base layout: the first page after a personal-link session
ended by itself (link expired or revoked) clears what this browser kept for that person."""

from django import template

from workshops.access import link_session_ended_pop

from ..selectors import kept_text_keys_of_login

register = template.Library()


@register.inclusion_tag("worksheets/includes/ended_session_kept_text.html", takes_context=True)
def ended_session_kept_text(context):
    """The person's kept-text keys and whether to keep unsent text, once, after a forced logout;
    nothing (and no query) otherwise."""
    request = context.get("request")
    session = getattr(request, "session", None)
    ended = link_session_ended_pop(session=session) if session is not None else None
    if ended is None:
        return {"keys": []}
    return {"keys": kept_text_keys_of_login(user_id=ended.user_id), "keep_unsent": ended.keep_unsent}
