"""Quizzes over JSON: the item bank and settings, rounds and answers, results."""

from ninja import Router

router = Router(tags=["Quizzes"])
# -- item bank: router.add_router("/", items.router)
# -- rounds and answers: router.add_router("/", rounds.router)
# -- results: router.add_router("/", results.router)
