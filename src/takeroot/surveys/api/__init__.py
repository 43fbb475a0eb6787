"""Surveys over JSON: questionnaires, surveys and recipients, responses, results."""

from ninja import Router

router = Router(tags=["Surveys"])
# == instruments ==
from . import instruments as _instruments  # noqa: E402

router.add_router("/", _instruments.router)
# == responding ==
from . import responses  # noqa: E402

router.add_router("/", responses.router)
# == distribution ==
from . import surveys as _surveys  # noqa: E402

router.add_router("/", _surveys.router)
# == results ==
from . import results as _results  # noqa: E402

router.add_router("/", _results.router)
