"""Header recognition: which of our columns a file's header names, in English, Spanish or French.

Headers are recognised as registration tools write them: our own names and their synonyms, Indico's
registrant export, Eventbrite's attendee export, and Google Forms' question texts ("Which languages can
you work in?", "¿En qué idiomas puede trabajar?"), matched by their key words when no spelling fits.
Columns the tools always add and we have no use for (ID, Phone, Order #, Timestamp…) are known and
reported as ignored; a registration's state (Indico's "Registration state", Eventbrite's "Attendee
Status") is read to skip withdrawn, cancelled or rejected registrations (`REGISTRATION_STATE`).
"""

import functools
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy

from .values import label_keys, match_key


class ImportKind(models.TextChoices):
    AUTO = "auto", gettext_lazy("Detect from the columns")
    PARTICIPANTS = "participants", gettext_lazy("Participants")
    FACILITATORS = "facilitators", gettext_lazy("Facilitators")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy: translated where it is shown
    synonyms: tuple[str, ...]  # header spellings, compared without case, accents or punctuation
    kinds: tuple[str, ...]
    required: bool = False


_BOTH = (ImportKind.PARTICIPANTS, ImportKind.FACILITATORS)
COLUMNS = [
    Column(
        "name",
        gettext_lazy("Name"),
        (
            "name", "full name", "names", "participant", "participant name", "facilitator", "facilitator name",
            "nombre", "nombre completo", "nombres y apellidos", "nombre y apellidos", "nombre y apellido",
            "apellidos y nombres", "participante", "facilitador", "facilitadora",
            "nom", "nom complet", "nom et prenom", "prenom et nom", "nom prenom", "prenom nom", "animateur",
            "animatrice",
        ),
        _BOTH,
        required=True,
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        (
            "email", "e mail", "mail", "email address", "e mail address", "correo", "correo electronico",
            "correo e", "direccion de correo", "direccion de correo electronico", "courriel", "adresse electronique",
            "adresse courriel", "adresse e mail", "adresse email", "mel",
        ),
        _BOTH,
        required=True,
    ),
    Column(
        "country",
        gettext_lazy("Country"),
        (
            "country", "country code", "nationality", "pais", "codigo de pais", "nacionalidad", "pays", "code pays",
            "nationalite", "delegation", "delegacion",
        ),
        (ImportKind.PARTICIPANTS,),
        required=True,
    ),
    Column(
        "region", gettext_lazy("Region"), ("region", "iom region", "region oim", "region de la oim"),
        (ImportKind.PARTICIPANTS,),
    ),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        (
            "organisation", "organization", "institution", "agency", "affiliation", "company", "employer", "afiliacion", "empresa", "entreprise", "ministry", "organizacion",
            "institucion", "entidad", "agencia", "ministerio", "organisme", "ministere",
        ),
        _BOTH,
    ),
    Column(
        "languages",
        gettext_lazy("Languages"),
        (
            "languages", "language", "languages spoken", "spoken languages", "working languages", "idiomas",
            "idioma", "lenguas", "lengua", "idiomas hablados", "idiomas de trabajo", "langues", "langue",
            "langues parlees", "langues de travail",
        ),
        _BOTH,
        required=True,
    ),
    Column("gender", gettext_lazy("Gender"), ("gender", "sex", "genero", "sexo", "genre", "sexe"), (ImportKind.PARTICIPANTS,)),
    Column(
        "preferred_language",
        gettext_lazy("Preferred language"),
        (
            "preferred language", "language preference", "correspondence language", "idioma preferido",
            "idioma de preferencia", "idioma de correspondencia", "langue preferee", "langue de preference",
            "langue de correspondance",
        ),
        _BOTH,
    ),
    Column(
        "expertise",
        gettext_lazy("Expertise"),
        (
            "expertise", "areas of expertise", "emm sections", "expertise sections", "sections", "especialidad",
            "especialidades", "experiencia", "secciones", "secciones emm", "domaines d expertise", "competences",
            "sections emm",
        ),
        (ImportKind.FACILITATORS,),
    ),
    Column(
        "availability",
        gettext_lazy("Availability"),
        ("availability", "available", "disponibilidad", "disponibilite", "disponibilites"),
        (ImportKind.FACILITATORS,),
    ),
]  # fmt: skip
# Registration forms that split names: "Prénom" + "Nom", "Nombre" + "Apellidos", "First name" + "Last name".
_GIVEN = ("first name", "given name", "given names", "forename", "prenom", "prenoms", "nombre de pila")
_FAMILY = ("last name", "surname", "family name", "apellido", "apellidos", "nom de famille")
# The state of a registration (not imported: a withdrawn, cancelled or rejected one is skipped).
REGISTRATION_STATE = "registration_state"
_STATE = (
    "registration state",
    "registration status",
    "status",
    "state",
    "attendee status",
    "order status",
    "estado",
    "estado del registro",
    "estado de registro",
    "estado de la inscripcion",
    "estado del asistente",
    "estado de inscripcion",
    "statut",
    "etat",
    "statut de l inscription",
    "etat de l inscription",
    "statut du participant",
    "etat de l enregistrement",
)
# Columns registration tools add that nothing here uses: known, so that the preview says "ignored".
_IGNORED = (
    "id",
    "registration id",
    "phone",
    "telephone",
    "phone number",
    "mobile",
    "mobile phone",
    "order",
    "order no",
    "order number",
    "order date",
    "quantity",
    "ticket type",
    "ticket",
    "attendee",
    "attendee no",
    "job title",
    "position",
    "title",
    "registration date",
    "registration time",
    "timestamp",
    "marca temporal",
    "horodateur",
    "telefono",
    "movil",
    "celular",
    "cargo",
    "puesto",
    "fecha de registro",
    "fecha de inscripcion",
    "n o de pedido",
    "no de pedido",
    "numero de pedido",
    "fecha del pedido",
    "cantidad",
    "tipo de entrada",
    "n o de asistente",
    "no de asistente",
    "poste",
    "fonction",
    "titre",
    "date d inscription",
    "numero de commande",
    "date de commande",
    "quantite",
    "type de billet",
    "portable",
)
# Key words of a question used as a header, in the order they are tried: "Which language do you prefer for
# e-mails?" is the preferred language before it is languages; "Name of your organisation" an organisation.
_QUESTION_WORDS = [
    ("preferred_language", {"prefer", "preferred", "prefiere", "preferido", "preferida", "prefere", "preferee",
                            "preferez", "correspondence", "correspondencia", "correspondance"}),
    ("languages", {"language", "languages", "idioma", "idiomas", "lengua", "lenguas", "langue", "langues"}),
    ("email", {"email", "mail", "correo", "courriel"}),
    ("country", {"country", "pais", "pays", "nationality", "nacionalidad", "nationalite", "citizenship"}),
    ("organisation", {"organisation", "organization", "organizacion", "institution", "institucion", "affiliation",
                      "afiliacion", "employer", "company", "empresa", "entreprise", "organisme", "ministry",
                      "ministerio", "ministere", "agency", "agencia"}),
    ("gender", {"gender", "sex", "genero", "sexo", "genre", "sexe"}),
    ("given_name", {"first", "given", "forename", "prenom", "prenoms"}),
    ("family_name", {"last", "surname", "family", "apellido", "apellidos"}),
    ("name", {"name", "names", "nombre", "nombres", "nom"}),
]  # fmt: skip
PARTICIPANT_ONLY = {"country", "region", "gender"}
FACILITATOR_ONLY = {"expertise", "availability"}


@functools.cache
def header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        for spelling in (*column.synonyms, *label_keys(column.label)):
            index.setdefault(match_key(spelling), column.key)
    for spelling in _GIVEN:
        index[match_key(spelling)] = "given_name"
    for spelling in _FAMILY:
        index[match_key(spelling)] = "family_name"
    for spelling in _STATE:
        index[match_key(spelling)] = REGISTRATION_STATE
    for spelling in _IGNORED:
        index.setdefault(match_key(spelling), None)
    return index


def header_key(header: str) -> str | None:
    """What a header names (a `COLUMNS` key, "given_name", "family_name", `REGISTRATION_STATE`), or None."""
    text = match_key(re.sub(r"\([^)]*\)", " ", str(header or "")))  # "Languages (separated by commas)"
    index = header_index()
    if text in index:
        return index[text]
    words = set(text.split())
    if len(words) < 2:
        return None
    return next((key for key, keywords in _QUESTION_WORDS if words & keywords), None)


def header_roles(
    headers: list[str], *, kind: str, mapping: dict[int, str] | None = None
) -> list[tuple[str, str | None]]:
    """Each header with what it fills in a file of `kind`: the first of two columns with one meaning wins.

    "Nom" beside "Prénom" is the family name; "Nombre" beside "Apellidos" the given name.
    `mapping` ({position: key, or "" for none}) is the organiser's choice for a column: it comes first.
    """
    mapping = mapping or {}
    not_for_kind = FACILITATOR_ONLY if kind == ImportKind.PARTICIPANTS else PARTICIPANT_ONLY
    keys: dict[int, str] = {p: k for p, k in mapping.items() if k and p < len(headers)}
    for position, header in enumerate(headers):
        key = None if position in mapping else header_key(header)
        if key and key not in not_for_kind and key not in keys.values():
            keys[position] = key
    present = set(keys.values())
    if "name" in present and ("given_name" in present) != ("family_name" in present):
        name_as = "family_name" if "given_name" in present else "given_name"
        keys = {p: (name_as if k == "name" and p not in mapping else k) for p, k in keys.items()}
    return [(header, keys.get(position)) for position, header in enumerate(headers)]


def kind_detect(headers: list[str]) -> str:
    """Facilitators when a column only facilitators have (expertise, availability) is there; else participants."""
    present = {header_key(header) for header in headers}
    return ImportKind.FACILITATORS if present & FACILITATOR_ONLY else ImportKind.PARTICIPANTS


def column_roles(file) -> list[tuple[str, str | None]]:
    """Every column of a read file (`files.ImportFile`), in order, with the key it was taken for, or None: ignored.

    Keys are `COLUMNS` keys, "given_name" and "family_name" (joined into the name when there is no
    name column), and `REGISTRATION_STATE` (read to skip withdrawn registrations, not imported).
    """
    return list(file.roles)


def header_score(records) -> int:
    return max((len({header_key(cell) for cell in cells} - {None}) for _line, cells in records[:10]), default=0)


def column_spellings(column) -> tuple[str, ...]:
    """A Spanish and a French header for a column, for error messages."""
    spanish = {"name": "Nombre", "email": "Correo electrónico", "country": "País", "languages": "Idiomas"}
    french = {"name": "Nom", "email": "Courriel", "country": "Pays", "languages": "Langues"}
    return tuple(spelling[column.key] for spelling in (spanish, french) if column.key in spelling)
