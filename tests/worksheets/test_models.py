import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories as f
from worksheets.enums import QuestionKind, Sharing
from worksheets.models import Answer, Question, Worksheet

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(str(m) for m in excinfo.value.messages)


def test_worksheet_one_per_participant_and_session():
    workshop = f.workshop()
    participant, session = f.participant(workshop), f.session(workshop)
    f.worksheet(participant, session)
    duplicate = Worksheet(participant=participant, session=session)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "This participant already has a worksheet for this session." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_worksheet_is_private_by_default():
    worksheet = f.worksheet(*(lambda w: (f.participant(w), f.session(w)))(f.workshop()))
    assert worksheet.sharing == Sharing.PRIVATE
    assert worksheet.is_shared is False


def test_worksheet_session_of_another_workshop_is_refused():
    bad = Worksheet(participant=f.participant(f.workshop()), session=f.session(f.workshop()))
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "The participant and the session must belong to the same workshop." in messages_of(excinfo)


def test_answer_scale_must_be_from_1_to_5():
    workshop = f.workshop()
    worksheet = f.worksheet(f.participant(workshop), f.session(workshop))
    scale = f.question(workshop, kind=QuestionKind.SCALE)
    Answer(worksheet=worksheet, question=scale, scale=5).full_clean()
    bad = Answer(worksheet=worksheet, question=scale, scale=6)
    with pytest.raises(ValidationError):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_answer_kind_must_match_question():
    workshop = f.workshop()
    worksheet = f.worksheet(f.participant(workshop), f.session(workshop))
    scale = f.question(workshop, kind=QuestionKind.SCALE)
    with pytest.raises(ValidationError) as excinfo:
        Answer(worksheet=worksheet, question=scale, text="five").full_clean()
    assert "This question takes a value from 1 to 5, not text." in messages_of(excinfo)
    text = f.question(workshop)
    with pytest.raises(ValidationError) as excinfo:
        Answer(worksheet=worksheet, question=text, scale=3).full_clean()
    assert "This question takes text, not a value." in messages_of(excinfo)


def test_answer_to_a_question_of_another_session_or_workshop_is_refused():
    workshop = f.workshop()
    first, second = f.session(workshop), f.session(workshop, start_hour=15)
    worksheet = f.worksheet(f.participant(workshop), first)
    only_second = f.question(workshop, session=second)
    foreign = f.question(f.workshop())
    for question in (only_second, foreign):
        with pytest.raises(ValidationError) as excinfo:
            Answer(worksheet=worksheet, question=question, text="x").full_clean()
        assert "This question is not part of this worksheet." in messages_of(excinfo)
    f.question(workshop, session=first)  # a question for this very session is fine
    Answer(worksheet=worksheet, question=workshop.questions.get(session=first), text="x").full_clean()


def test_answer_one_per_question():
    workshop = f.workshop()
    worksheet = f.worksheet(f.participant(workshop), f.session(workshop))
    question = f.question(workshop)
    f.answer(worksheet, question, text="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.answer(worksheet, question, text="second")


def test_question_session_of_another_workshop_is_refused():
    workshop = f.workshop()
    bad = Question(workshop=workshop, session=f.session(f.workshop()), text="?")
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "Choose a session of this workshop." in messages_of(excinfo)
