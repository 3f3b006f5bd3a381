"""Who may do what in finance. Registered from FinanceConfig.ready()."""

from core.models import Role
from core.permissions import register

# The kontoplan, fiscal years, imported ledger and verifikationer: ekonomi staff and the revisor read them.
register("finance.view", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR})
# Fiscal years, accounts, dimensions and ledger imports. The revisor reads only.
register("finance.manage", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST})
# The uppföljning and månadsuppföljning: also the ledamöter, who decide on it (read only, no ledger rows).
register("finance.followup", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER})
# Entering the prognos: the ekonom and the förbundschef (and admin); the revisor and ledamöter read.
register("finance.forecast", {Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST})
