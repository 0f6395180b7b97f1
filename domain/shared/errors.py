"""Errors a person or a program can act on. Each has a stable code (the problem ``type``)."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule said no. ``code`` is stable; ``message`` is Thai, for people."""

    code: str = "domain-error"
    status: int = 422

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    code = "not-found"
    status = 404


class ConcurrencyConflict(DomainError):
    """Someone else changed the same thing first."""

    code = "concurrency-conflict"
    status = 409

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            "มีผู้อื่นบันทึกการเปลี่ยนแปลงก่อนหน้าคุณ กรุณาโหลดข้อมูลล่าสุดแล้วลองอีกครั้ง",
            expected_version=expected,
            actual_version=actual,
        )
        self.expected = expected
        self.actual = actual


class PreconditionFailed(ConcurrencyConflict):
    """The version the client named (If-Match) is not the current one."""

    code = "precondition-failed"
    status = 412


class IdempotencyKeyReused(DomainError):
    """The same idempotency key came back with a different request."""

    code = "idempotency-key-reused"
    status = 422
