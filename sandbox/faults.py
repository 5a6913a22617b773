"""Fault injection: make the next calls of a method fail the way Telegram fails them."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.errors import ApiError


@dataclass
class _Fault:
    error_code: int
    description: str
    retry_after: int | None
    remaining: int


class FaultPlan:
    """Planned failures per method name (case-insensitive, like Telegram's method names)."""

    def __init__(self) -> None:
        self._planned: dict[str, list[_Fault]] = {}

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method``; queued after failures already planned for it."""
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = _Fault(error_code, description, retry_after, times)
        self._planned.setdefault(method.lower(), []).append(fault)

    def take(self, method: str) -> ApiError | None:
        """The error for this call of ``method``, if one is planned (and count it as used)."""
        queue = self._planned.get(method.lower())
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.pop(0)
        parameters = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
        return ApiError(fault.error_code, fault.description, parameters)

    def clear(self) -> None:
        self._planned.clear()
