import type { FileInfo } from '@tributary/connector-files';

export type ImportStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A row that could not be read, by its 1-based line (CSV) or row number (xlsx). */
export interface ImportRowError {
  line: number;
  message: string;
}

/** An import's progress as the API shows it. */
export interface ImportView {
  id: string;
  flowId: string;
  flowVersion: number;
  nodeId: string;
  fileName: string;
  sha256: string;
  status: ImportStatus;
  /** Data rows read so far (good and bad; empty rows skipped are not counted). */
  rowsRead: number;
  /** Rows that started a new run. */
  rowsAccepted: number;
  /** Rows whose run already existed (the same file, or the same rows, imported before). */
  rowsDuplicate: number;
  /** Rows that could not be read; the first 1000 are in `errors`. */
  rowsFailed: number;
  errors: ImportRowError[];
  bytesRead: number;
  bytesTotal: number;
  /** Seconds left at the current rate; null when not running or not yet known. */
  etaSeconds: number | null;
  rowsPerSecond: number | null;
  /** Why the whole import failed (the file cannot be read, too many bad rows, cancelled). */
  error: { code: string; message: string; line?: number } | null;
  file: FileInfo | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export type ImportSummary = Omit<ImportView, 'errors' | 'file'>;

/** The imports row, as the service reads it. */
export interface ImportRecord {
  id: string;
  flow_id: string;
  flow_version: number;
  node_id: string;
  config: Record<string, unknown>;
  file_name: string;
  file_path: string | null;
  file_sha256: string;
  file_info: FileInfo | null;
  status: ImportStatus;
  bytes_total: string;
  bytes_read: string;
  bytes_per_second: number | null;
  rows_read: string;
  rows_accepted: string;
  rows_duplicate: string;
  rows_failed: string;
  checkpoint: string;
  errors: ImportRowError[];
  error: ImportView['error'];
  owner: string | null;
  attempts: number;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}
