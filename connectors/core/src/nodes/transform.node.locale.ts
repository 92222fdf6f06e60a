import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const transformNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '数据转换',
    description: '用 JSONata 表达式重组数据：结果为对象时替换原数据，为数组时拆成多条，为空时丢弃。',
    ports: { out: '输出', error: '出错' },
    config: {
      '/properties/expression': { title: '表达式（JSONata）', description: '`$` 是当前数据（“全部”模式下是所有数据组成的数组）。另可使用：`$item`、`$index`、`$runId`、`$now()`、`$millis()`。示例：`{ "email": $lowercase(email), "name": firstName & " " & lastName }`。' },
      '/properties/mode': { title: '模式', description: 'each：每条数据求值一次。all：对全部数据组成的数组求值一次（用于排序、分组或汇总）。', enumNames: ['逐条', '全部'] },
    },
  },
};
