"""The numbers the rules and the loader use: house defaults and reading limits.

Each field of Policy and Limits is a configuration key (`[policy]`, `[limits]`); the defaults
here are what a roster without configuration gets. docs/governance.md says which of them come
from practice in the field and which are agentroster's own choices.
"""

from __future__ import annotations

from dataclasses import dataclass

# A duration: a number and a unit m, h, d or w ('15m', '4h', '3d').
DURATION_PATTERN = r"^[0-9]+(\.[0-9]+)?[mhdw]$"


@dataclass(frozen=True)
class Policy:
    """The numbers the rules use; each is a key of `[policy]`."""

    min_golden_cases: int = 100
    source_freshness_days: int = 90
    max_handoff_depth: int = 3
    external_incident_response: str = "15m"
    judge_calibration_days: int = 92
    postmortem_days: int = 14
    required_metrics: tuple[str, ...] = (
        "success_rate",
        "latency_p95",
        "cost_per_interaction",
        "escalation_rate",
    )
    due_within: int = 30  # T011: days ahead in which a review falling due is announced
    ad_hoc_review_days: int = 30  # T009: days to hold a review after an incident or change


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile files cheap; each is reported as C011 when exceeded."""

    max_bytes: int = 1_000_000
    max_depth: int = 64
    max_nodes: int = 100_000
