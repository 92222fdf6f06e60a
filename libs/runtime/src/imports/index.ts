export * from './import.types.js';
export * from './import.config.js';
export * from './import.service.js';
export { ImportProcessor, ERRORS_KEPT } from './import.processor.js';
export { OccurrenceCounter, rowDedupeKey, rowDigest } from './row-key.util.js';
export { storeUpload, type StoredUpload } from './import-upload.util.js';
