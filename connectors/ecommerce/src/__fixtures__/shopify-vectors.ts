// VERIFIED vectors (research/connectors.md §5), recomputed locally byte for byte:
// Shopify/shopify-api-php tests/Webhooks/RegistryTest.php (secret from BaseTestCase.php) and
// Shopify/shopify-app-js …/webhooks/__tests__/validate.test.ts (secret from test-config.ts).
export const shopifyVectors = [
  { source: 'shopify-api-php', secret: 'steffi', body: '{"foo":"bar"}', hmac: '/Redz4YXHLnSmmSN8grr5/Jl/Ua3d7yX3iWbjb8R8wo=' },
  { source: 'shopify-app-js', secret: 'test_secret_key', body: '{"foo": "bar"}', hmac: 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=' },
] as const;
