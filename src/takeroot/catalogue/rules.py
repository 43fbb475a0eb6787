"""Who may read and keep the initiative catalogue."""

import rules

from takeroot.core.rules import is_admin, is_trainer

rules.add_perm("catalogue.view_catalogue", is_admin | is_trainer)
rules.add_perm("catalogue.manage_catalogue", is_admin)
