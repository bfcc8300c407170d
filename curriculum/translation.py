from modeltranslation.translator import TranslationOptions, register

from .models import IammItem, Section, SectionItem, Volume


@register(Volume)
class VolumeTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


@register(SectionItem)
class SectionItemTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(IammItem)
class IammItemTranslationOptions(TranslationOptions):
    fields = ("title", "text")
