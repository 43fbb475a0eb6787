"""The arithmetic of survey results, free of Django: means with a confidence interval, the net
score of a 0–10 question, and the rule that decides which groups of a breakdown may be shown
without letting anyone subtract their way to fewer than N people."""

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

# Promoters and detractors of a 0–10 "would you recommend" question.
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


@dataclass(frozen=True)
class MeanCI:
    mean: float
    low: float | None  # the 95 % confidence interval (t-interval); None for fewer than two values
    high: float | None


def mean_ci(values: Iterable[float], *, confidence: float = 0.95) -> MeanCI | None:
    """The mean with a ``confidence`` t-interval around it; None without values."""
    values = list(values)
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return MeanCI(mean, None, None)
    variance = sum((value - mean) ** 2 for value in values) / (n - 1)
    if variance == 0:
        return MeanCI(mean, mean, mean)
    from scipy import stats  # heavy; loaded by the first interval, not by every request

    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * math.sqrt(variance / n)
    return MeanCI(mean, mean - half, mean + half)


def net_score(values: Iterable[int]) -> int | None:
    """Promoters (9–10) minus detractors (0–6), in whole percent of everyone who answered."""
    values = list(values)
    if not values:
        return None
    promoters = sum(1 for value in values if value >= PROMOTER_FROM)
    detractors = sum(1 for value in values if value <= DETRACTOR_UP_TO)
    return round(100 * (promoters - detractors) / len(values))


def groups_to_show(counts: Mapping[Hashable, int], *, total: int, threshold: int) -> set:
    """The groups of one parent that may be shown: each has at least ``threshold`` members, and
    what is left of the parent once they are taken away (the hidden groups together) is either
    nobody or again at least ``threshold`` people, so ``parent - shown`` isolates no small group.

    When the remainder is too small the smallest shown group is held back too (its members join
    the remainder); that always restores the rule, or leaves nothing to show."""
    shown = {key for key, count in counts.items() if count >= threshold}
    while shown:
        remainder = total - sum(counts[key] for key in shown)
        if remainder == 0 or remainder >= threshold:
            break
        shown.remove(min(shown, key=lambda key: (counts[key], str(key))))
    return shown
