import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const filterNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '过滤',
    description: '条件为真的数据发往 `out`，其余发往 `rejected`。',
    ports: { out: '通过', rejected: '未通过', error: '出错' },
    config: {
      '/properties/condition': { title: '条件（JSONata）', description: '对每条数据求值（`$` 是当前数据，可用 `$index`、`$runId`、`$now()`）。真假判断同 JSONata 的 $boolean：空字符串、空数组、空对象、0 和 null 为假。示例：`amount > 100 and country = "CN"`。' },
    },
  },
};
