import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

/** The node catalogue, straight from the node declarations: the editor's palette and forms come from here. */
@ApiTags('nodes')
@Controller('api/nodes')
export class NodesController {
  constructor(@Inject(RUNTIME) private readonly rt: Runtime) {}

  @Get()
  list() {
    return {
      // Translations as declared (`{}` when none): the editor picks the language it shows.
      connectors: this.rt.catalog.connectors.map((c) => ({ id: c.id, title: c.title, description: c.description, auth: c.auth ?? null, locales: c.locales ?? {} })),
      items: this.rt.catalog.registry.list().map((d) => ({
        id: d.id,
        version: d.version,
        title: d.title,
        description: d.description,
        category: d.category,
        icon: d.icon ?? null,
        configSchema: d.configSchema,
        inputs: d.inputs ?? (d.trigger ? [] : ['in']),
        outputs: typeof d.outputs === 'function' ? null : (d.outputs ?? ['out']),
        dynamicOutputs: typeof d.outputs === 'function',
        trigger: d.trigger ? d.trigger.kind : null,
        connection: d.connection ?? null,
        sample: d.sample ?? null,
        // No effects outside the run: the editor warns before testing a node that is not pure.
        pure: d.pure ?? false,
        locales: d.locales ?? {},
      })),
    };
  }
}
