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


class CompletionDateOutOfRange(DomainError):
    """A step done before its plan (or its start) allows, or in the future."""

    code = "completion-date-out-of-range"


class StepAlreadyHasDueDate(DomainError):
    """A first due date set twice: the second is a postponement (with a reason)."""

    code = "step-already-has-due-date"
    status = 409


class StepHasNoDueDate(DomainError):
    """A postponement of a step that has no due date yet: set one first (no reason needed)."""

    code = "step-has-no-due-date"


class CountedIndicator(DomainError):
    """A result typed for an indicator the service counts by itself."""

    code = "counted-indicator"


class NotPlanOfficer(DomainError):
    """Only the plan officer may do this (override a count, propose a revision)."""

    code = "plan-officer-only"
    status = 403


class UnknownTemplate(DomainError):
    code = "unknown-template"


class TooLong(DomainError):
    """A heading longer than the sheet allows (domain.plans.templates.MAX_LENGTHS)."""

    code = "text-too-long"


class IncompleteItems(DomainError):
    """Promulgation while required headings of items are empty (the details list them)."""

    code = "items-incomplete"
    status = 409


class PlanYearsNotOver(DomainError):
    """Closing a plan before its last fiscal year has ended."""

    code = "plan-years-not-over"
    status = 409


class RevisionRequired(DomainError):
    """A direct edit of a promulgated plan's item: propose a revision instead."""

    code = "revision-required"
    status = 409


class RevisionNotPending(DomainError):
    """Approving or returning a revision that is unknown or already decided, or proposing
    while another waits."""

    code = "revision-not-pending"
    status = 409


class NotExecutive(DomainError):
    code = "executive-only"
    status = 403
