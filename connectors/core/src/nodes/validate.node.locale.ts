import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const validateNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '数据校验',
    description: '用 JSON Schema 校验每条数据：通过的发往 `out`，不通过的连同原因发往 `error`。',
    ports: { out: '通过', error: '未通过' },
    config: {
      '/properties/schema': { title: 'JSON Schema', description: '数据必须满足的 Schema（draft 2020-12；其 $schema 声明为 draft-07 时按 draft-07）。' },
      '/properties/coerceTypes': { title: '自动转换类型', description: '尽量把值转换为 Schema 中的类型（"42" → 42）；通过校验的数据以转换后的值输出。' },
      '/properties/removeAdditional': { title: '移除多余属性', description: 'Schema 声明 `additionalProperties: false` 时，删除未知属性而不是判为不通过。' },
    },
  },
};
