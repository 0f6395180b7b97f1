"""The public page of each LAO, /p/<code>: no sign-in, only what the LAO has published."""

from services.api.public.pages import PublicPages

ROUTES = [PublicPages]
