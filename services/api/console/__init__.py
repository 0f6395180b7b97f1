"""The operator's console (ผู้ดูแลระบบ): the register of LAOs (add one, import the national
register with a preview), invitations of first executives and provincial reviewers, and the
onboarding funnel per province."""

from services.api.console.pages import ConsolePages

ROUTES = [ConsolePages]
