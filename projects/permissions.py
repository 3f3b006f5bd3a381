"""Who may do what with insatser and participant reports. Registered from ProjectsConfig.ready().

Förbundschef and administratör register insatser and enter, submit and correct reports. Ekonom reads the
insatser (budget, delprojekt and their project codes are finance's projekt dimension). Revisor and ledamot
read insatser and reports, and change nothing. A later role (deltagaransvarig, issue 8 point 4) is not here yet.
"""

from core.models import Role
from core.permissions import register

register("projects.view", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER})
register("projects.manage", {Role.ADMIN, Role.DIRECTOR})
