"""IOM's Essentials of Migration Management (EMM) and the Berne Initiative's IAMM.

All text fields are translated (English, Spanish, French) through django-modeltranslation
(`translation.py`), English being the fallback.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import IammKind, ItemKind


class Volume(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("EMM volume")
        verbose_name_plural = _("EMM volumes")

    def __str__(self):
        return _("Volume %(number)s: %(title)s") % {"number": self.number, "title": self.title}


section_number_validator = RegexValidator(r"^\d+\.\d+$", _("A section number is a volume and a section, such as 2.6."))


class Section(models.Model):
    volume = models.ForeignKey(Volume, on_delete=models.PROTECT, related_name="sections", verbose_name=_("volume"))
    number = models.CharField(
        _("number"), max_length=10, unique=True, validators=[section_number_validator], help_text=_("Such as 2.6")
    )
    # Sorting "2.10" after "2.9" needs the position as a number.
    position = models.PositiveSmallIntegerField(_("position in its volume"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    is_sample_content = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_(
            "The guiding questions, key messages and exercises were written for the demo, not taken from the EMM."
        ),
    )

    class Meta:
        ordering = ["volume__number", "position"]
        verbose_name = _("EMM section")
        verbose_name_plural = _("EMM sections")
        constraints = [
            models.UniqueConstraint(fields=["volume", "position"], name="section_unique_position_in_volume"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.position = int(self.number.split(".")[1])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("curriculum:section", kwargs={"number": self.number})

    def clean(self):
        super().clean()
        if self.number and self.volume_id and "." in self.number:
            volume_part = self.number.split(".", 1)[0]
            if volume_part.isdigit() and int(volume_part) != self.volume.number:
                raise ValidationError(
                    {
                        "volume": _("Section %(number)s belongs to volume %(volume)s.")
                        % {"number": self.number, "volume": volume_part}
                    }
                )


class SectionItem(models.Model):
    """A guiding question, key message or practical exercise of a section, in order."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["section", "kind", "order", "pk"]
        verbose_name = _("section item")
        verbose_name_plural = _("section items")

    def __str__(self):
        return f"{self.section.number} {self.get_kind_display()} {self.order}"


class IammItem(models.Model):
    """A common understanding or an effective practice of the IAMM."""

    kind = models.CharField(_("kind"), max_length=30, choices=IammKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("IAMM item")
        verbose_name_plural = _("IAMM items")
        constraints = [models.UniqueConstraint(fields=["kind", "order"], name="iamm_item_unique_order")]

    def __str__(self):
        return self.title
