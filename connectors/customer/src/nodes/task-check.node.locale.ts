import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const taskCheckNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '检查任务状态',
    description: '读取 customer.task 创建的任务（ID 在 `taskId` 中）的当前状态，并按状态从 `open`、`done` 或 `cancelled` 发出数据，同时刷新 `task`（状态、截止时间、`overdue`、负责人及其邮箱、手机和企业微信 userid）。放在 core.delay 之后可实现“分配后 3 天未跟进 → 提醒负责人；再过 2 天仍未完成 → 升级给组长”。只读操作，可放心重试。',
    ports: { open: '未完成', done: '已完成', cancelled: '已取消', error: '出错' },
    config: {
      '/properties/taskIdField': { title: '任务 ID 字段', description: '由 customer.task 设置。' },
    },
  },
};
