from modeltranslation.translator import TranslationOptions, register

from .models import EvaluationQuestion, KnowledgeQuestion, Question


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help_text")


@register(EvaluationQuestion)
class EvaluationQuestionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(KnowledgeQuestion)
class KnowledgeQuestionTranslationOptions(TranslationOptions):
    fields = ("text", "choice_1", "choice_2", "choice_3", "choice_4")
