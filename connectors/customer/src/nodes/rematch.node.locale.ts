import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const rematchNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '全量重新识别客户',
    description:
      '用于定时流程（core.schedule → customer.rematch）：用 `tributary match` 的规则（含簇级规则）对整个客户库做身份识别。每条数据到达时只与当时分块键找到的候选比较；之后才补全资料（例如下一笔订单带来的公司）或先到的客户不会再被比较。本节点把每个有效客户与其他所有客户比较。合并方式 `confident`：模糊评分达到合并阈值的关联直接合并两个客户（可撤销，审计记录为 `system:rematch`）；其他关联（两个客户共有的标识、罕见姓名、簇级证据）进入复核队列并附规则理由。`none`：所有关联都进入复核。已被人工区分的客户对不会处理，已在队列中的客户对不会重复入队，再次运行不会重复第一次做过的事（合并后的客户已是一条记录），因此崩溃后重试是安全的。从 `out` 发出一条汇总数据，从 `merged` 为每次合并发出一条数据；只有客户库无法重新识别时才走 `error`。',
    ports: { out: '汇总', merged: '已合并', error: '出错' },
    config: {
      '/properties/merge': { title: '合并方式', description: '`confident`：合并模糊评分达到合并阈值的关联，其余进入复核。`none`：所有关联都进入复核。', enumNames: ['确定的合并', '全部复核'] },
      '/properties/dryRun': { title: '试运行', description: '只统计关联，不做任何变更。' },
      '/properties/maxListed': { title: '合并数据上限', description: '从 `merged` 最多发出的数据条数；汇总中统计全部。' },
    },
  },
};
