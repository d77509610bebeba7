"""practices and adoptions (issue 10: the "what works" library)

New tables only: practice (with its measures, sectors, topics and revisions),
adoption (one per practice and organisation, the name folded), adoption_update
(each stage change or outcome report) and adoption_measure (an adopter's figures).
Downgrading drops them.

Revision ID: 0008
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0008'
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('problem_html', sa.Text(), nullable=False),
    sa.Column('approach', sa.Text(), nullable=False),
    sa.Column('approach_html', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('results_html', sa.Text(), nullable=False),
    sa.Column('key_learning', sa.Text(), nullable=False),
    sa.Column('key_learning_html', sa.Text(), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('evidence_links', sa.Text(), nullable=False),
    sa.Column('origin_region_id', sa.Integer(), nullable=True),
    sa.Column('organisation', sa.String(length=120), nullable=False),
    sa.Column('cost_band', sa.String(length=12), nullable=False),
    sa.Column('evidence_level', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('adoption_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('last_reviewed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_practice_author_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['user.id'], name=op.f('fk_practice_contact_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_practice_network_id_network'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['origin_region_id'], ['region.id'], name=op.f('fk_practice_origin_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice')),
    sa.UniqueConstraint('slug', name=op.f('uq_practice_slug'))
    )
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_origin_region_id'), ['origin_region_id'], unique=False)
        batch_op.create_index('ix_practice_status_adopted', ['status', 'adoption_count'], unique=False)
        batch_op.create_index('ix_practice_status_published', ['status', 'published_at', 'network_id'], unique=False)

    op.create_table('adoption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('adopter_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=120), nullable=False),
    sa.Column('organisation_key', sa.String(length=120), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('adaptations', sa.Text(), nullable=False),
    sa.Column('adaptations_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adopter_id'], ['user.id'], name=op.f('fk_adoption_adopter_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_adoption_practice_id_practice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_adoption_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoption')),
    sa.UniqueConstraint('practice_id', 'organisation_key', name=op.f('uq_adoption_practice_id'))
    )
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_adopter_id'), ['adopter_id'], unique=False)
        batch_op.create_index('ix_adoption_practice_stage', ['practice_id', 'stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_region_id'), ['region_id'], unique=False)

    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('before', sa.Float(), nullable=False),
    sa.Column('after', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=60), nullable=False),
    sa.Column('direction', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_measure_practice_id_practice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['user.id'], name=op.f('fk_practice_revision_editor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_practice_revision_practice_id_practice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_revision'))
    )
    with op.batch_alter_table('practice_revision', schema=None) as batch_op:
        batch_op.create_index('ix_practice_revision_practice', ['practice_id', 'created_at'], unique=False)

    op.create_table('practice_sector',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_practice_sector_practice_id_practice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'sector', name=op.f('pk_practice_sector'))
    )
    with op.batch_alter_table('practice_sector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_sector_sector'), ['sector'], unique=False)

    op.create_table('practice_topic',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_practice_topic_practice_id_practice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_practice_topic_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'topic_id', name=op.f('pk_practice_topic'))
    )
    with op.batch_alter_table('practice_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_topic_topic_id'), ['topic_id'], unique=False)

    op.create_table('adoption_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adoption_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adoption_id'], ['adoption.id'], name=op.f('fk_adoption_update_adoption_id_adoption'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_adoption_update_author_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoption_update'))
    )
    with op.batch_alter_table('adoption_update', schema=None) as batch_op:
        batch_op.create_index('ix_adoption_update_adoption', ['adoption_id', 'created_at'], unique=False)

    op.create_table('adoption_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('before', sa.Float(), nullable=False),
    sa.Column('after', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=60), nullable=False),
    sa.Column('direction', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_adoption_measure_measure_id_measure'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['adoption_update.id'], name=op.f('fk_adoption_measure_update_id_adoption_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoption_measure'))
    )
    with op.batch_alter_table('adoption_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_measure_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_measure_update_id'), ['update_id'], unique=False)



def downgrade():
    with op.batch_alter_table('adoption_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_measure_update_id'))
        batch_op.drop_index(batch_op.f('ix_adoption_measure_measure_id'))

    op.drop_table('adoption_measure')
    with op.batch_alter_table('adoption_update', schema=None) as batch_op:
        batch_op.drop_index('ix_adoption_update_adoption')

    op.drop_table('adoption_update')
    with op.batch_alter_table('practice_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_topic_topic_id'))

    op.drop_table('practice_topic')
    with op.batch_alter_table('practice_sector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_sector_sector'))

    op.drop_table('practice_sector')
    with op.batch_alter_table('practice_revision', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_revision_practice')

    op.drop_table('practice_revision')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_practice_id'))

    op.drop_table('measure')
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_region_id'))
        batch_op.drop_index('ix_adoption_practice_stage')
        batch_op.drop_index(batch_op.f('ix_adoption_adopter_id'))

    op.drop_table('adoption')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_status_published')
        batch_op.drop_index('ix_practice_status_adopted')
        batch_op.drop_index(batch_op.f('ix_practice_origin_region_id'))
        batch_op.drop_index(batch_op.f('ix_practice_network_id'))
        batch_op.drop_index(batch_op.f('ix_practice_author_id'))

    op.drop_table('practice')
