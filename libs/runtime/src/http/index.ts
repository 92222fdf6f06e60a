export * from './http-client.js';
export * from './http.errors.js';
export * from './ip-address.util.js';
