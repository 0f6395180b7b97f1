"""The plan's rules, as typed errors (stable codes; Thai messages for people)."""

from __future__ import annotations

from domain.shared.errors import DomainError


class PlanClosed(DomainError):
    code = "plan-closed"
    status = 409


class PlanNotDraft(DomainError):
    code = "plan-not-draft"
    status = 409


class EmptyPlan(DomainError):
    code = "plan-has-no-items"


class InvalidYears(DomainError):
    code = "invalid-fiscal-years"


class UnknownSubItem(DomainError):
    code = "unknown-sub-item"


class ItemNumberTaken(DomainError):
    code = "item-number-taken"
    status = 409


class InvalidItemNumber(DomainError):
    code = "invalid-item-number"


class UnknownItem(DomainError):
    code = "unknown-item"
    status = 404


class DueDateOutsidePlan(DomainError):
    code = "due-date-outside-plan"


class StepAlreadyCompleted(DomainError):
    code = "step-already-completed"
    status = 409


class StepNotCompleted(DomainError):
    code = "step-not-completed"
    status = 409


class UnknownStep(DomainError):
    code = "unknown-step"
    status = 404


class StepNumberTaken(DomainError):
    code = "step-number-taken"
    status = 409


class BudgetOnNoBudgetItem(DomainError):
    code = "budget-on-no-budget-item"


class NegativeAmount(DomainError):
    code = "negative-amount"


class InvalidAmount(DomainError):
    """Not a number of baht at all (NaN, infinite) or beyond any LAO's budget."""

    code = "invalid-amount"


class BudgetYearOutsidePlan(DomainError):
    code = "budget-year-outside-plan"


class ForbiddenEvidence(DomainError):
    code = "forbidden-evidence"
    status = 415


class InvalidEvidenceLink(DomainError):
    code = "invalid-evidence-link"


class EvidenceTooLarge(DomainError):
    code = "evidence-too-large"
    status = 413


class UnknownIndicator(DomainError):
    code = "unknown-indicator"
    status = 404


class InvalidIndicator(DomainError):
    code = "invalid-indicator"


class MissingText(DomainError):
    code = "missing-text"
