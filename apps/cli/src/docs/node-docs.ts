import type { ConnectorDefinition, JsonSchema, NodeDefinition } from '@tributary/engine';

/**
 * The node reference (docs/nodes.md), rendered from the node declarations themselves:
 * the same JSON Schemas that validate configs and drive the editor's forms.
 */
export function renderNodeDocs(connectors: ConnectorDefinition[]): string {
  const out: string[] = [
    '# Node reference',
    '',
    '<!-- Generated from the node declarations by `npx tributary docs nodes`; do not edit by hand. -->',
    '',
    'Every node is declared once (id, version, JSON Schema of its config, ports); this page, the API',
    'validation of flows and the editor\'s forms all come from that declaration.',
    '',
  ];
  for (const c of connectors) {
    out.push(`## ${c.title} (\`${c.id}\`)`, '', c.description, '');
    if (c.auth) out.push('Connection secrets:', '', ...schemaTable(c.auth), '');
    for (const n of c.nodes) out.push(...renderNode(n));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function renderNode(n: NodeDefinition): string[] {
  const inputs = n.inputs ?? (n.trigger ? [] : ['in']);
  const outputs = typeof n.outputs === 'function' ? 'derived from the config' : (n.outputs ?? ['out']).map((p) => `\`${p}\``).join(', ');
  const lines = [
    `### \`${n.id}\` v${n.version} — ${n.title}`,
    '',
    n.description,
    '',
    `- Category: ${n.category}${n.trigger ? `; trigger: ${n.trigger.kind}` : ''}${n.pure ? '; pure (no effects outside the run)' : ''}`,
    `- Inputs: ${inputs.length ? inputs.map((p) => `\`${p}\``).join(', ') : 'none'}; outputs: ${outputs}`,
  ];
  if (n.connection) {
    const typed = n.connection.typeField ? ` (the type chosen in \`${n.connection.typeField}\`)` : '';
    lines.push(`- Connection: \`${n.connection.type}\`${typed}${n.connection.required ? ' (required)' : ' (optional)'}`);
  }
  if (n.retry) lines.push(`- Retries: ${n.retry.maxAttempts} attempts, backoff from ${n.retry.backoffMs} ms`);
  lines.push('', ...schemaTable(n.configSchema), '');
  if (n.sample) lines.push('Example config:', '', '```json', JSON.stringify(n.sample.config, null, 2), '```', '');
  return lines;
}

function schemaTable(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const keys = Object.keys(props);
  if (keys.length === 0) return ['No configuration.'];
  const rows = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  for (const k of keys) {
    const p = props[k]!;
    const type = p.enum ? (p.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ') : String(p.type ?? (p.format === 'jsonata' ? 'string' : 'any'));
    const def = p.default === undefined ? '' : `\`${JSON.stringify(p.default)}\``;
    const title = [p.title, p.description].filter(Boolean).join(': ');
    const extra = p.format === 'jsonata' ? ' (JSONata)' : '';
    rows.push(`| \`${k}\`${required.has(k) ? ' *' : ''} | ${type}${extra} | ${def} | ${String(title).replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  }
  rows.push('', '`*` required.');
  return rows;
}
