"""An invitation as people will get it, before anyone does: a preview per language, a test to oneself.

Both are written by `invitations.invitation_content`, as the real e-mails are, but carry
`PLACEHOLDER_LINK` instead of a personal link: an address under `.invalid` (RFC 2606), which no
name server resolves, so a preview or a test opens nothing and is never anybody's credential.
Neither records an invitation nor creates anybody's login.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from .invitations import invitation_content
from .mail import mail_message, mail_send
from .models import Facilitator, LanguageMode, Participant, Workshop

PLACEHOLDER_LINK = "https://personal-link.invalid/"
INTERFACE_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # en, es, fr: invitations are written in these
KINDS = ("participant", "facilitator")


def room_languages(*, workshop: Workshop) -> list[str]:
    """The languages the workshop's rooms are held in, among the three invitations are written in."""
    used = set()
    modes = LanguageMode.objects.filter(workshop=workshop, rooms__isnull=False).values_list("languages", flat=True)
    for languages in modes:
        used.update(languages or [])
    return [code for code in INTERFACE_LANGUAGES if code in used]


def invitation_languages(*, workshop: Workshop) -> list[str]:
    """The languages this workshop's invitations go out in: its rooms' (`room_languages`) and those
    its people prefer (each gets theirs), in the site's order; English alone when there are none."""
    used = set(room_languages(workshop=workshop))
    for model in (Participant, Facilitator):
        used.update(model.objects.filter(workshop=workshop).values_list("preferred_language", flat=True).distinct())
    return [code for code in INTERFACE_LANGUAGES if code in used] or [settings.LANGUAGE_CODE]


def own_message_missing(*, workshop: Workshop, languages) -> list[str]:
    """The languages of `languages` the organiser's own message is empty in, while another has one
    (those invitations carry the English message, or none). Empty when there is no message at all."""
    texts = {code: (getattr(workshop, f"invitation_note_{code}") or "").strip() for code in INTERFACE_LANGUAGES}
    if not any(texts.values()):
        return []
    return [code for code in languages if not texts[code]]


def own_message_falls_back(*, workshop: Workshop, language: str) -> bool:
    """The invitation in `language` carries the English message: none was written in `language`."""
    english = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return (
        language != english
        and not (getattr(workshop, f"invitation_note_{language}") or "").strip()
        and bool((getattr(workshop, f"invitation_note_{english}") or "").strip())
    )


def _sample(*, workshop: Workshop, kind: str):
    """The first real participant or facilitator (by name), or a stand-in named as such: never saved."""
    model = Participant if kind == "participant" else Facilitator
    person = model.objects.filter(workshop=workshop).order_by("name", "pk").only("name", "workshop").first()
    if person is None:
        person = model(workshop=workshop, name="")
    person.workshop = workshop  # no second query for the link's last day
    return person


def invitation_preview(*, workshop: Workshop, language: str, base_url: str) -> list[dict]:
    """The invitation in `language` for a participant and for a facilitator: per kind, its `kind`,
    `person` (whose name it shows), `subject`, `text` and `html`, with the placeholder link."""
    previews = []
    for kind in KINDS:
        person = _sample(workshop=workshop, kind=kind)
        if not person.name:
            with translation.override(language):
                person.name = (
                    gettext("(participant’s name)") if kind == "participant" else gettext("(facilitator’s name)")
                )
        content = _content(workshop=workshop, person=person, language=language, kind=kind, base_url=base_url)
        previews.append({"kind": kind, "person": person, **content})
    return previews


def _content(*, workshop, person, language, kind, base_url, is_test=False) -> dict:
    return invitation_content(
        workshop=workshop,
        person=person,
        language=language,
        is_facilitator=kind == "facilitator",
        is_reminder=False,
        link=PLACEHOLDER_LINK,
        base_url=base_url,
        is_test=is_test,
    )


def invitation_test_send(*, workshop: Workshop, user, language: str, kind: str, base_url: str) -> None:
    """E-mail `user` the invitation in `language` as a `kind` would get it, marked as a test, with
    the placeholder link and their own name. Records nothing. Raises `MailNotSent` if the mailer
    did not take it; `ValueError` when the user has no e-mail address."""
    if not (user.email or "").strip():
        raise ValueError("no e-mail address")
    model = Participant if kind == "participant" else Facilitator
    person = model(workshop=workshop, name=user.get_full_name() or user.get_username(), email=user.email)
    content = _content(workshop=workshop, person=person, language=language, kind=kind, base_url=base_url, is_test=True)
    message = mail_message(
        subject=content["subject"], body=content["text"], html=content["html"], to=[user.email], language=language
    )
    mail_send(messages=[message])
