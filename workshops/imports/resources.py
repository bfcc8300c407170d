"""Row validation: the django-import-export resources that turn a row's cells into a person, every problem in words."""

import re
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from import_export import fields as ie_fields
from import_export import resources, widgets

from curriculum.models import Section

from ..enums import Gender, InterfaceLanguage, Region
from ..models import Availability, Facilitator, Participant, Workshop
from ..reference import COUNTRY_REGIONS
from .files import LINE
from .headers import ImportKind
from .values import (
    availability_parse,
    choice_index,
    country_resolve,
    email_address,
    email_key,
    languages_resolve,
    match_key,
)


class _Widget(widgets.Widget):
    """Cells arrive as clean text (`cell_text`); an empty optional cell is None: "leave as it is"."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RequiredTextWidget(_Widget):
    def __init__(self, missing):
        super().__init__()
        self.missing = missing

    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(str(self.missing))
        return value


class OptionalTextWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        return value or None


class EmailWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("The e-mail address is missing."))
        address = email_address(value)
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(_("“%(value)s” is not a valid e-mail address.") % {"value": value}) from None
        local, _at, domain = address.rpartition("@")
        return f"{local}@{domain.lower()}"


class CountryWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("The country is missing."))
        code = country_resolve(value)
        if code is None:
            raise ValueError(
                _("Unknown country “%(value)s”: write its name in English, Spanish or French, or its ISO code.")
                % {"value": value}
            )
        return code


class RegionWidget(_Widget):
    """A region by name (en/es/fr) or code; when empty, IOM's region of the country."""

    def clean(self, value, row=None, **kwargs):
        if value:
            region = choice_index("region").get(match_key(value))
            if region is None:
                raise ValueError(
                    _("Unknown region “%(value)s”: use %(regions)s.")
                    % {"value": value, "regions": ", ".join(str(label) for _v, label in Region.choices)}
                )
            return region
        code = country_resolve((row or {}).get("country", ""))
        if code is None:
            return None  # the country's own problem is reported
        if code not in COUNTRY_REGIONS:
            raise ValueError(
                _("The region is missing and cannot be deduced from %(country)s: give it.")
                % {"country": countries.name(code)}
            )
        return COUNTRY_REGIONS[code]


class LanguagesWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("No language given: list the languages this person speaks."))
        codes, unknown = languages_resolve(value)
        if unknown:
            raise ValueError(
                ngettext(
                    "Unknown language %(languages)s: write names in English, Spanish or French, or ISO codes such as en, es, fr.",
                    "Unknown languages %(languages)s: write names in English, Spanish or French, or ISO codes such as en, es, fr.",
                    len(unknown),
                )
                % {"languages": ", ".join(f"“{word}”" for word in unknown)}
            )
        return codes


class GenderWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        if match_key(value) == "m":  # male in English and French forms, mujer in Spanish ones
            raise ValueError(_("Gender “M” is ambiguous (male, or mujer?): write it in full."))
        gender = choice_index("gender").get(match_key(value))
        if gender is None:
            raise ValueError(
                _("Unknown gender “%(value)s”: write %(genders)s, or leave it empty.")
                % {"value": value, "genders": ", ".join(str(label) for _v, label in Gender.choices)}
            )
        return gender


class InterfaceLanguageWidget(_Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        codes, _unknown = languages_resolve(value)
        if len(codes) != 1 or codes[0] not in InterfaceLanguage.values:
            raise ValueError(
                _("The preferred language must be English, Spanish or French, not “%(value)s”.") % {"value": value}
            )
        return codes[0]


class _PersonResource(resources.ModelResource):
    """What participants' and facilitators' imports share: matching by e-mail, problems in words."""

    name = ie_fields.Field(
        attribute="name", column_name="name", widget=RequiredTextWidget(gettext_lazy("The name is missing."))
    )
    email = ie_fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    organisation = ie_fields.Field(
        attribute="organisation", column_name="organisation", widget=OptionalTextWidget(), saves_null_values=False
    )
    languages = ie_fields.Field(attribute="languages", column_name="languages", widget=LanguagesWidget())
    preferred_language = ie_fields.Field(
        attribute="preferred_language",
        column_name="preferred_language",
        widget=InterfaceLanguageWidget(),
        saves_null_values=False,
    )

    compared = ("name", "organisation", "languages", "preferred_language")

    class Meta:
        import_id_fields = ["email"]
        skip_unchanged = True
        report_skipped = True
        skip_diff = True  # what changed is computed in `_changes`, without copying every instance
        store_instance = True
        clean_model_instances = True

    def __init__(self, *, workshop: Workshop, on_progress=None):
        super().__init__()
        self.workshop = workshop
        self.existing = {}
        self.first_line = {}
        self.on_progress = on_progress  # called (rows done, rows in all) after each row: a job's progress
        self.rows_done = self.rows_total = 0

    def existing_people(self):
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self.existing = {email_key(person.email): person for person in self.existing_people()}
        self.first_line = {}
        self.rows_done, self.rows_total = 0, dataset.height

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        self.rows_done += 1
        if self.on_progress is not None:
            self.on_progress(self.rows_done, self.rows_total)
        return result

    def get_instance(self, instance_loader, row):
        return self.existing.get(email_key(row.get("email")))

    def init_instance(self, row=None):
        return self._meta.model(workshop=self.workshop)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_new = new
        instance._import_before = {name: _comparable(getattr(instance, name)) for name in self.compared}
        instance._import_changes = []

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "email" and not instance._import_new:
            return  # keep the address as it was first written; it matched, ignoring case
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.import_extras(instance, row, errors)
        key, line = email_key(row.get("email")), row[LINE]
        if key and "email" not in errors:
            first = self.first_line.setdefault(key, line)
            if first != line:
                errors.setdefault("email", []).append(
                    ValidationError(_("Same e-mail address as line %(line)s: each person once.") % {"line": first})
                )
        if instance._import_new and not row.get("preferred_language") and isinstance(instance.languages, list):
            # Invitations go out in a language they read: the first of theirs we offer.
            offered = [code for code in instance.languages if code in InterfaceLanguage.values]
            instance.preferred_language = offered[0] if offered else InterfaceLanguage.ENGLISH
        if errors:
            raise ValidationError(errors)

    def import_extras(self, instance, row, errors):
        """Columns that are not plain model fields (a facilitator's expertise and availability)."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # The workshop is ours (checking it would cost a query per row); the country widget only
        # returns known codes (checking them again walks 250 choices per row); no region without a country.
        exclude = set(errors) | {"workshop", "country"} | ({"region"} if "country" in errors else set())
        try:
            # Uniqueness is checked against the whole file and the workshop at once (`get_instance`,
            # `first_line`), not with one query per row.
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in exclude:
                    continue
                label = capfirst(instance._meta.get_field(name).verbose_name) if name != NON_FIELD_ERRORS else ""
                errors.setdefault(name, []).extend(
                    ValidationError(f"{label}: {message}" if label else message) for message in messages
                )
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._import_new:
            return False
        instance._import_changes = self._changes(instance)
        return not instance._import_changes

    def _changes(self, instance) -> list[str]:
        return [name for name in self.compared if _comparable(getattr(instance, name)) != instance._import_before[name]]

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("preview"):
            return  # a dry run writes nothing: no insert to roll back, no query per row
        super().save_instance(instance, is_create, row, **kwargs)


def _comparable(value):
    return list(value) if isinstance(value, list) else str(value or "")


class ParticipantResource(_PersonResource):
    country = ie_fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    region = ie_fields.Field(attribute="region", column_name="region", widget=RegionWidget(), saves_null_values=False)
    gender = ie_fields.Field(attribute="gender", column_name="gender", widget=GenderWidget(), saves_null_values=False)

    compared = (*_PersonResource.compared, "country", "region", "gender")

    class Meta(_PersonResource.Meta):
        model = Participant
        fields = ("name", "email", "country", "region", "organisation", "languages", "gender", "preferred_language")
        # Inserts and updates in batches of 1,000 (3,000 people: seconds, not a query per row); the
        # whole import still runs in one transaction. The e-mail, matched on, is never updated.
        use_bulk = True

    def existing_people(self):
        return Participant.objects.filter(workshop=self.workshop)

    # The library catches a failed batch inside its own atomic block, which PostgreSQL then refuses
    # to release; a savepoint of our own around each batch keeps the error a reported problem
    # (and the whole import is rolled back by `people_import`).
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._bulk(self.create_instances, "bulk_create", raise_errors, result, batch_size=batch_size)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        fields = self.get_bulk_update_fields()
        self._bulk(self.update_instances, "bulk_update", raise_errors, result, fields, batch_size=batch_size)

    def _bulk(self, instances, method, raise_errors, result, *args, **kwargs):
        if not instances:
            return
        try:
            with transaction.atomic():
                getattr(Participant.objects, method)(instances, *args, **kwargs)
        except Exception as error:  # reported as a problem of the file: nothing is applied
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()


class FacilitatorResource(_PersonResource):
    class Meta(_PersonResource.Meta):
        model = Facilitator
        fields = ("name", "email", "organisation", "languages", "preferred_language")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.sections = {section.number: section for section in Section.objects.only("pk", "number")}
        self.tz = ZoneInfo(self.workshop.timezone)

    def existing_people(self):
        return Facilitator.objects.filter(workshop=self.workshop).prefetch_related("expertise", "availability")

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        instance._import_expertise = None  # None: leave as it is
        instance._import_availability = None

    def import_extras(self, instance, row, errors):
        if row.get("expertise"):
            numbers, problems = [], []
            for word in re.split(r"[,;/|\n]+|\s+(?:and|y|et)\s+", row["expertise"]):
                word = re.sub(r"^(?:emm|iamm|section|sección|seccion|§)\s*", "", word.strip(), flags=re.IGNORECASE)
                word = word.strip(" .")
                if not word:
                    continue
                if word in self.sections:
                    numbers.append(word)
                else:
                    problems.append(word)
            if problems:
                errors.setdefault("expertise", []).append(
                    ValidationError(
                        ngettext(
                            "Unknown curriculum section %(sections)s: write section numbers such as 2.6.",
                            "Unknown curriculum sections %(sections)s: write section numbers such as 2.6.",
                            len(problems),
                        )
                        % {"sections": ", ".join(f"“{word}”" for word in problems)}
                    )
                )
            else:
                instance._import_expertise = sorted(set(numbers), key=lambda n: [int(x) for x in n.split(".")])
        if row.get("availability"):
            try:
                instance._import_availability = availability_parse(row["availability"], tz=self.tz)
            except ValueError as error:
                errors.setdefault("availability", []).append(ValidationError(str(error)))

    def _changes(self, instance) -> list[str]:
        changes = super()._changes(instance)
        if instance._import_expertise is not None and sorted(instance._import_expertise) != sorted(
            section.number for section in instance.expertise.all()
        ):
            changes.append("expertise")
        if instance._import_availability is not None and instance._import_availability != sorted(
            (window.start, window.end) for window in instance.availability.all()
        ):
            changes.append("availability")
        return changes

    def after_save_instance(self, instance, row, **kwargs):
        if instance._import_expertise is not None:
            instance.expertise.set([self.sections[number] for number in instance._import_expertise])
        if instance._import_availability is not None:
            instance.availability.all().delete()
            Availability.objects.bulk_create(
                Availability(facilitator=instance, start=start, end=end) for start, end in instance._import_availability
            )


RESOURCES = {ImportKind.PARTICIPANTS: ParticipantResource, ImportKind.FACILITATORS: FacilitatorResource}
