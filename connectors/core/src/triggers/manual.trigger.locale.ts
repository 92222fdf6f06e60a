import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const manualTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '手动运行',
    description: '用手动提供的数据启动一次运行：编辑器的“运行”按钮、POST /api/flows/:id/run 或 `tributary run`。',
  },
};
