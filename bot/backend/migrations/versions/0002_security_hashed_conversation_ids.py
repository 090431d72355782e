"""security (issue 17): hashed conversation ids, sealed ticket conversations, ticket sources and repeats

Tickets gain ``conversation_sealed`` (the id, encrypted for the console),
``source`` (keyed hash of the origin, for the per-origin limit) and ``repeats``
(handoffs merged into the ticket). Rows written before this revision held
conversation ids in clear: when ``ALLOCBOT_ACCESS_TOKEN_SECRET`` is set (it is
wherever the backend runs), they are hashed here, and a ticket's id sealed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("conversation_sealed", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("repeats", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index(batch_op.f("ix_handoff_tickets_source"), ["source"], unique=False)

    secret = os.environ.get("ALLOCBOT_ACCESS_TOKEN_SECRET") or ""
    if not secret or secret == "change-me":
        return
    from bot.backend.services.conversation_ids import PREFIX, hashed, seal

    connection = op.get_bind()
    tickets = sa.table("handoff_tickets", sa.column("id"), sa.column("conversation_id"), sa.column("conversation_sealed"))
    for row in connection.execute(sa.select(tickets.c.id, tickets.c.conversation_id)).all():
        if not row.conversation_id.startswith(PREFIX):
            connection.execute(
                tickets.update()
                .where(tickets.c.id == row.id)
                .values(conversation_id=hashed(secret, row.conversation_id), conversation_sealed=seal(secret, row.conversation_id))
            )
    log = sa.table("access_log", sa.column("id"), sa.column("conversation_id"))
    for row in connection.execute(sa.select(log.c.id, log.c.conversation_id).where(log.c.conversation_id.is_not(None))).all():
        if not row.conversation_id.startswith(PREFIX):
            connection.execute(log.update().where(log.c.id == row.id).values(conversation_id=hashed(secret, row.conversation_id)))


def downgrade() -> None:
    with op.batch_alter_table("handoff_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_tickets_source"))
        batch_op.drop_column("repeats")
        batch_op.drop_column("source")
        batch_op.drop_column("conversation_sealed")
