// Everything that turns raw customer values into comparable keys, in one import.
export * from './text.normalizer.js';
export * from './chinese-script.util.js';
export * from './china-place.util.js';
export * from './phone.normalizer.js';
export * from './email.normalizer.js';
export * from './junk-identity.util.js';
export * from './identity.normalizer.js';
export * from './company-name.normalizer.js';
export * from './credit-code.normalizer.js';
export * from './person-name.normalizer.js';
export * from './city.normalizer.js';
export * from './phone-match-key.util.js';
