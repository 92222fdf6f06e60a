export * from './permissions.js';
export * from './password-hash.util.js';
export * from './user.service.js';
