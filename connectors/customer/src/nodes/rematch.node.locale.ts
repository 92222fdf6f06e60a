import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const rematchNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '重新识别客户',
    description:
      '用于定时流程（core.schedule → customer.rematch）：对客户库重新做身份识别。每条数据到达时只与当时分块键找到的候选比较；之后才补全资料（例如下一笔订单带来的公司）或先到的客户不会再被比较。范围 `all`：用 `tributary match` 的规则（含簇级规则）把每个有效客户与其他所有客户比较，整个客户库都在内存中（每个客户约 2 KB）；客户库大于 worker 可用内存（空闲堆的 60%，可用 `--max-old-space-size` 调大）时改为像 `changed` 那样分页逐个比较，汇总中的 `paged` 说明原因。范围 `changed`：只处理本节点上次成功运行以来有变化的客户，每个客户按其标识和资料像一条新到的数据那样与其他所有客户比较，分页进行；第一次运行与 `all` 相同，比较全部客户。合并方式 `confident`：模糊评分达到合并阈值的关联直接合并两个客户（可撤销，审计记录为 `system:rematch`）；其他关联（两个客户共有的标识、罕见姓名、簇级证据、介于两个阈值之间的评分）进入复核队列并附规则理由。`none`：所有关联都进入复核。已被人工区分的客户对不会处理，已在队列中的客户对不会重复入队，再次运行不会重复第一次做过的事（合并后的客户已是一条记录），因此崩溃后重试是安全的。分页进行的运行每处理完 500 个客户就立即应用这一页并记下进度：worker 中途退出时，重试从最后记下的一页继续（汇总中的 `resumed` 说明从哪里继续），而不是从头开始，并在每页之后记录日志；本节点的上一次运行尚未结束时，新的运行不做任何事并标记 `alreadyRunning`。从 `out` 发出一条汇总数据，从 `merged` 为每次合并发出一条数据；只有客户库无法重新识别时才走 `error`。',
    ports: { out: '汇总', merged: '已合并', error: '出错' },
    config: {
      '/properties/scope': { title: '范围', description: '`all`：每个有效客户与其他所有客户比较（批量规则，整个客户库在内存中；放不下时分页进行）。`changed`：本节点上次运行以来有变化的客户，每个像新到的数据一样识别；第一次运行比较全部。', enumNames: ['全部客户', '有变化的客户'] },
      '/properties/merge': { title: '合并方式', description: '`confident`：合并模糊评分达到合并阈值的关联，其余进入复核。`none`：所有关联都进入复核。', enumNames: ['确定的合并', '全部复核'] },
      '/properties/dryRun': { title: '试运行', description: '只统计关联，不做任何变更。' },
      '/properties/maxListed': { title: '合并数据上限', description: '从 `merged` 最多发出的数据条数；汇总中统计全部。' },
    },
  },
};
