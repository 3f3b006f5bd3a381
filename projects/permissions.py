"""Who may do what with insatser and participant reports. Registered from ProjectsConfig.ready().

Förbundschef and administratör register insatser and enter, submit and correct reports of every insats of the
förbund. Ekonom reads the insatser (budget, delprojekt and their project codes are finance's projekt
dimension). Revisor and ledamot read insatser, reports, goals and statistics, and change nothing.
Deltagaransvarig (issue 8 point 4) sees, reports on and follows the goals of only the insatser they are
assigned to (ProjectStaff); every other insats answers 404 (projects.access.visible_projects).
"""

from core.models import Role
from core.permissions import register

register(
    "projects.view", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER, Role.PARTICIPANT_OFFICER}
)
# Seeing every insats of the organisation (not only the ones one is assigned to).
register("projects.view_all", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER})
# The insats itself, its parties, budget, delprojekt, goals and category lists.
register("projects.manage", {Role.ADMIN, Role.DIRECTOR})
# Entering, submitting and correcting participant reports, assessing goals and entering NNS results.
register("projects.report", {Role.ADMIN, Role.DIRECTOR, Role.PARTICIPANT_OFFICER})
# Assigning deltagaransvariga to insatser.
register("projects.manage_staff", {Role.ADMIN})
# The participant register inside the utförare (ADR 0019): keeping records of the insatser one is assigned to.
register("projects.register", {Role.ADMIN, Role.PARTICIPANT_OFFICER})
# Assigning register staff and setting gallring, at the utförare.
register("projects.register_manage", {Role.ADMIN})
# Participant statistics (built from submitted reports): everyone who reads insatser; a deltagaransvarig sees
# the statistics of their own insatser only (the page narrows through projects.access like every other).
register(
    "projects.statistics",
    {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER, Role.PARTICIPANT_OFFICER},
)
# The registreringsunderlag for Uppföljning Finsam holds the förbund's finance figures too: the roles that read
# finance (finance.view), not the ledamot or the deltagaransvarig.
register("projects.finsam", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR})
