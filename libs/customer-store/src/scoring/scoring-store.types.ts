import type { RescoreRequest, RescoreSummary, ResolvedRfmBreakpoints, RfmConfig, RfmOutcome, RfmRequest, ScoreOutcome, ScoreRequest } from './scoring.types.js';

/** What customer.score and customer.rescore need from the store (CustomerStore, BatchingCustomerStore). */
export interface ScoringStore {
  score(request: ScoreRequest): Promise<ScoreOutcome[]>;
  scoreRfm(request: RfmRequest): Promise<RfmOutcome[]>;
  rfmBreakpoints(config: RfmConfig): Promise<ResolvedRfmBreakpoints>;
  rescore(request: RescoreRequest): Promise<RescoreSummary>;
}
