"""Signals other apps listen to without plans knowing them.

``goal_reached``: a goal's check-in value reached its target (sent once per goal, after the
check-in's transaction commits). Arguments: ``goal`` (ActionGoal), ``check_in`` (CheckIn).
"""

from django.dispatch import Signal

goal_reached = Signal()
