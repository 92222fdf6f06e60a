import type { HttpClient } from '@tributary/engine';
import { pingNode, shoutNode, signedHook } from './__fixtures__/sample-nodes.js';
import { describeNodeContract } from './contract.js';

const http: HttpClient = { request: async () => ({ status: 200, headers: {}, body: '' }) };

await describeNodeContract(shoutNode);
await describeNodeContract(pingNode, { http });
await describeNodeContract(signedHook, { secrets: { secret: 's3cret' } });
