"""A token's change is announced.

``api_tokens``: any UPDATE or DELETE notifies the channel ``sujarit_tokens`` with the token's id
(32 hex digits) when the transaction commits; each API process keeps the tokens it resolved and
forgets one at its notice (infra/tokens.TokenCache). A change of an organisation's code, which a
resolved token carries, notifies ``*``: forget them all.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

NOTICES = (
    """
CREATE FUNCTION app_token_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sujarit_tokens', replace(OLD.token_id::text, '-', ''));
  RETURN NULL;
END $$""",
    """
CREATE TRIGGER api_tokens_changed AFTER UPDATE OR DELETE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION app_token_changed()""",
    """
CREATE FUNCTION app_organisation_code_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sujarit_tokens', '*');
  RETURN NULL;
END $$""",
    """
CREATE TRIGGER organisations_code_changed AFTER UPDATE OF code OR DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION app_organisation_code_changed()""",
)


def upgrade() -> None:
    for statement in NOTICES:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS organisations_code_changed ON organisations")
    op.execute("DROP FUNCTION IF EXISTS app_organisation_code_changed()")
    op.execute("DROP TRIGGER IF EXISTS api_tokens_changed ON api_tokens")
    op.execute("DROP FUNCTION IF EXISTS app_token_changed()")
