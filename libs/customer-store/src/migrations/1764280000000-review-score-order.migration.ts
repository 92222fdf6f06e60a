import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The review queue read highest score first (`GET /api/review?order=score`), keyset-paged on (score, id). */
export class ReviewScoreOrder1764280000000 implements MigrationInterface {
  name = 'ReviewScoreOrder1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ix_match_reviews_score ON match_reviews (status, score DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_match_reviews_score`);
  }
}
