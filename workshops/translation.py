from modeltranslation.translator import TranslationOptions, register

from .models import BreakoutSession, LanguageMode, Room, Workshop


@register(Workshop)
class WorkshopTranslationOptions(TranslationOptions):
    fields = ("title", "series", "description", "venue")


@register(LanguageMode)
class LanguageModeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Room)
class RoomTranslationOptions(TranslationOptions):
    fields = ("directions",)


@register(BreakoutSession)
class BreakoutSessionTranslationOptions(TranslationOptions):
    fields = ("title",)
