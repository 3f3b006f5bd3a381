from core.models import Role
from core.permissions import ALL_ROLES, register

# Rendering a document reads data and changes none, so every role may request one (revisor included).
register("reporting.view", ALL_ROLES)
register("reporting.render", ALL_ROLES)
register("reporting.view_all_jobs", {Role.ADMIN})
