"""Quizzes over JSON: the item bank and settings, rounds and answers, results."""

from ninja import Router

from . import items, results, rounds

router = Router(tags=["Quizzes"])
router.add_router("/", items.router)
router.add_router("/", rounds.router)
router.add_router("/", results.router)
