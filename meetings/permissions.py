"""Who may do what in meetings. Registered from MeetingsConfig.ready()."""

from core.models import Role
from core.permissions import ALL_ROLES, register

# Every role reads committees and their members (revisor and ledamot included), except the deltagaransvarig, who
# works with their own insatser only (issue 8 point 4).
register("meetings.view", ALL_ROLES - {Role.PARTICIPANT_OFFICER})
# Committees, memberships and the committee's standard agenda.
register("meetings.manage_committees", {Role.ADMIN, Role.SECRETARY})
# Ärenden, tjänsteskrivelser and their bilagor.
register("meetings.manage_cases", {Role.ADMIN, Role.SECRETARY, Role.DIRECTOR})
# Sammanträden, föredragningslista and kallelse.
register("meetings.manage_meetings", {Role.ADMIN, Role.SECRETARY})
# The protokoll: attendance, §, votes, sending for justering, rättelser, anslag, överklaganden, utdrag.
register("meetings.manage_minutes", {Role.ADMIN, Role.SECRETARY})
# Delegationsbeslut and meddelanden.
register("meetings.manage_registers", {Role.ADMIN, Role.SECRETARY, Role.DIRECTOR})
# The roles that may read sekretess at all; never the public, never ekonom. Which committees' sekretess they read
# is decided per object by meetings.confidentiality: staff and revisor all of the organisation's, a ledamot only
# that of committees where they hold (or held, on the meeting's date) a seat (docs/decisions/0006).
register("meetings.view_confidential", {Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.MEMBER, Role.AUDITOR})
# Justering itself is not a role: only the person named as ordförande or justerare signs, from their own login.
