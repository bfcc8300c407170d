"""The JSON both autosaves (a worksheet's answers, a team's notes) read and answer, written once."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _

from ..services import SaveResult


def autosave_payload(request) -> dict | None:
    """The request body's JSON object, or None when it is not one (not UTF-8, not JSON, nested too deep, or
    JSON of another kind)."""
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        return None
    return payload if isinstance(payload, dict) else None


def autosave_unreadable() -> JsonResponse:
    """400: the body could not be read as the JSON object an autosave sends."""
    return JsonResponse({"error": _("The request could not be read.")}, status=400)


def autosave_saved(revision: int) -> JsonResponse:
    """200 {"revision": the new revision}."""
    return JsonResponse({"revision": revision})


def autosave_answer(result: SaveResult) -> JsonResponse:
    """A save's result as JSON: 200 {"revision"} when saved; 409 {"error", "revision", and the stored
    version's fields ("text", and "scale" for an answer)} when stale; 403 {"error"} when closed; else 400 {"error"}."""
    if result.status == "saved":
        return autosave_saved(result.revision)
    if result.status == "conflict":
        return JsonResponse({"error": result.message, "revision": result.revision, **result.stored}, status=409)
    return JsonResponse({"error": result.message}, status=403 if result.status == "closed" else 400)
