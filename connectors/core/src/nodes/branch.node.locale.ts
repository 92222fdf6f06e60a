import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const branchNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '分支',
    description: '把每条数据发往第一条（或每一条）条件为真的规则所对应的端口；没有规则匹配的数据发往 `else`。',
    ports: { else: '其他', error: '出错' },
    config: {
      '/properties/rules': { title: '规则', description: '按顺序检查。每条规则指定一个输出端口和一个 JSONata 条件。' },
      '/properties/rules/items/properties/port': { title: '端口', description: '输出端口名（字母、数字、_ 和 -；不能是 `else` 或 `error`）。' },
      '/properties/rules/items/properties/condition': { title: '条件（JSONata）', description: '为真的数据走这个端口。' },
      '/properties/mode': { title: '模式', description: 'first：数据只走第一条匹配的规则。all：数据发往每一条匹配规则的端口。', enumNames: ['第一条匹配', '全部匹配'] },
    },
  },
};
