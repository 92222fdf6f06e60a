import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const taskNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '创建跟进任务',
    description: '为每条数据的客户创建跟进任务：分给客户负责人（在 customer.assign 之后）、某团队的组长（升级处理）或指定负责人；标题和描述可用数据字段填充（`跟进 {{name}} {{phone}}`），截止时间为 N 小时后（可按负责人的工作时间计算）或取自数据字段。在客户时间线上写入 `task_created`；步骤重试不会重复创建。数据加上 `taskId` 和 `task`（状态、截止时间、负责人及其邮箱、手机和企业微信 userid，供通知节点使用）后从 `out` 发出；之后可用 customer.task-check 再次读取任务（用于“3 天未跟进 → 提醒，再升级”）。',
    ports: { out: '已创建', error: '出错' },
    config: {
      '/properties/title': { title: '标题', description: '`{{field}}` 会替换为数据中的字段（点路径可读取对象内部；`{{a|b}}` 取第一个有值的）。' },
      '/properties/description': { title: '描述', description: '占位符同标题。' },
      '/properties/assignTo': { title: '分给', description: '`customer_owner`：客户负责人；`team_lead`：下方团队的组长，不填则为客户分配时所在团队的组长；`owner`：下方指定的负责人。', enumNames: ['客户负责人', '团队组长', '指定负责人'] },
      '/properties/ownerId': { title: '负责人 ID', description: '分给“指定负责人”时使用。' },
      '/properties/teamId': { title: '团队 ID', description: '分给“团队组长”时使用；默认：客户分配时所在的团队（或其负责人所在团队）。' },
      '/properties/fallback': { title: '无人（在职）可接时', description: '`error`：不创建任务，数据发往 `error`；`team_lead`：分给客户所在团队的组长；`unowned`：创建无负责人的任务。', enumNames: ['报错', '分给团队组长', '不指定负责人'] },
      '/properties/dueInHours': { title: '截止时间（小时后）', description: '留空表示不设截止时间。' },
      '/properties/businessHours': { title: '按工作时间计算', description: '只计算负责人工作时间内的小时数（工作日 9–18 点时，周五 17:00 + 4 小时 → 周一 12:00）。' },
      '/properties/dueAtField': { title: '截止时间字段', description: '存放截止时间的数据字段（ISO 8601 或时间戳）；数据中有值时优先于“截止时间（小时后）”。' },
      '/properties/customerIdField': { title: '客户 ID 字段' },
      '/properties/taskIdField': { title: '任务 ID 字段', description: '任务 ID 写入数据的哪个字段（customer.task-check 读取它）。' },
    },
  },
};
