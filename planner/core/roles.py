"""Old role ids that stand for another: one id per role.

The complaint handler once called `cs-supervisor` is the same person as the checklist's owner
and the roster's department `cs-manager` (CS supervisor/manager); `cs-manager` is the id, the
old one an alias accepted everywhere a role is typed or read.
"""

ROLE_ALIASES = {"cs-supervisor": "cs-manager"}
