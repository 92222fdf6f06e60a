// GitHub's published webhook test vector ("Validating webhook deliveries"): secret, body and
// the X-Hub-Signature-256 header GitHub sends for them.
export const githubVector = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};
