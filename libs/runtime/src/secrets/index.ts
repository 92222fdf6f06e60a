export * from './secret-box.js';
export * from './redact-secrets.util.js';
