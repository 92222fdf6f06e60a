import type { NodeLocales } from '@tributary/node-sdk';
import { scoringModelLocale } from './score.node.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const rescoreNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '全量重新评分',
    description: '用于定时流程（core.schedule → customer.rescore）：以批量 SQL 对每个有效客户应用评分模型。`rules` 模型：衰减、沉默规则（N 天未回复）和阈值，配置与 customer.score 相同（不含数据规则，它们需要事件）。`rfm` 模型：为每个有订单的客户计算最近购买时间、频次、金额和分群，每次运行测算一次五等分。每次变化写入一条 `score_changed` 事件；同一流程和节点每天最多为一个客户重新评分一次，因此当天再次运行或崩溃后重试都不会重复变更。从 `out` 发出一条汇总数据，并从 `crossed` 为每个跨越阈值（或 RFM 分群变化）的客户发出一条数据；只有客户库无法重新评分时才走 `error`。',
    ports: { out: '汇总', crossed: '跨越阈值', error: '出错' },
    config: {
      ...scoringModelLocale,
      '/properties/model': { title: '评分模型', enumNames: ['规则评分', 'RFM'] },
      '/properties/source': { title: '来源', description: '记录为所写事件和属性的来源。' },
      '/properties/batchSize': { title: '批大小', description: '每个事务处理的客户数（每批只短暂持有这些客户的行锁）。' },
      '/properties/maxCrossed': { title: '跨越阈值数据上限', description: '从 `crossed` 最多发出的数据条数；汇总中统计全部。' },
    },
  },
};
