import { InitialCustomerStore1732200000000 } from './1732200000000-initial-customer-store.migration.js';
import { Resolution1763900000000 } from './1763900000000-resolution.migration.js';
import { Engagement1764200000000 } from './1764200000000-engagement.migration.js';
import { Scoring1764210000000 } from './1764210000000-scoring.migration.js';
import { Assignment1764220000000 } from './1764220000000-assignment.migration.js';
import { SegmentEvaluation1764230000000 } from './1764230000000-segment-evaluation.migration.js';
import { Reports1764240000000 } from './1764240000000-reports.migration.js';
import { NameSearch1764250000000 } from './1764250000000-name-search.migration.js';
import { EmailMatchKeys1764260000000 } from './1764260000000-email-match-keys.migration.js';
import { RarityKeys1764270000000 } from './1764270000000-rarity-keys.migration.js';
import { ReviewScoreOrder1764280000000 } from './1764280000000-review-score-order.migration.js';
import { RematchWatermarks1764290000000 } from './1764290000000-rematch-watermarks.migration.js';
import { RematchProgress1764300000000 } from './1764300000000-rematch-progress.migration.js';

/** Listed explicitly (no globs under ESM); the runtime adds them to its DataSource's migrations. */
export const customerStoreMigrations = [InitialCustomerStore1732200000000, Resolution1763900000000, Engagement1764200000000, Scoring1764210000000, Assignment1764220000000, SegmentEvaluation1764230000000, Reports1764240000000, NameSearch1764250000000, EmailMatchKeys1764260000000, RarityKeys1764270000000, ReviewScoreOrder1764280000000, RematchWatermarks1764290000000, RematchProgress1764300000000];
