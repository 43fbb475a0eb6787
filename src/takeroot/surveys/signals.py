"""Signals other apps listen to without surveys knowing them.

``survey_closed``: a survey stopped taking answers, so its results can be read. Argument:
``survey``. Sent inside the closing transaction (closing is a conditional update, which sends no
``post_save``); listeners that write elsewhere wait for the commit themselves. Reopening saves the
survey, so ``post_save`` tells that.
"""

from django.dispatch import Signal

survey_closed = Signal()
