"""Domain operations that touch several models."""

from .models import Workshop
from .scheduling.checker import Problem, schedule_check
from .selectors import schedule_load


def workshop_check(*, workshop: Workshop) -> list[Problem]:
    """Every rule of DESIGN.md the workshop's current groups and rotation break, in plain words."""
    return schedule_check(schedule_load(workshop=workshop))
