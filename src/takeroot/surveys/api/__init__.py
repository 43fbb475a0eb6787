"""Surveys over JSON: questionnaires, surveys and recipients, responses, results."""

from ninja import Router

router = Router(tags=["Surveys"])
# == instruments ==
# == responding ==
# == distribution ==
# == results ==
