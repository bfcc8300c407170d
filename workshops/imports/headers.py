"""Header recognition: which of our columns a file's header names, in English, Spanish or French."""

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
            "organisation", "organization", "institution", "agency", "affiliation", "ministry", "organizacion",
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
    return index


def header_key(header: str) -> str | None:
    text = re.sub(r"\([^)]*\)", " ", str(header or ""))  # "Languages (separated by commas)"
    return header_index().get(match_key(text))


def header_score(records) -> int:
    return max((len({header_key(cell) for cell in cells} - {None}) for _line, cells in records[:10]), default=0)


def column_spellings(column) -> tuple[str, ...]:
    """A Spanish and a French header for a column, for error messages."""
    spanish = {"name": "Nombre", "email": "Correo electrónico", "country": "País", "languages": "Idiomas"}
    french = {"name": "Nom", "email": "Courriel", "country": "Pays", "languages": "Langues"}
    return tuple(spelling[column.key] for spelling in (spanish, french) if column.key in spelling)
