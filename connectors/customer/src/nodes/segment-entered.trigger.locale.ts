import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const segmentEnteredTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '客户进入分群',
    description: '客户进入（或离开）某个已保存的分群（`POST /api/segments`）时，每次变化启动一次运行：客户离开后再回来会启动第二次运行。客户变化时即重新计算分群，与当前时间相关的条件（如沉默客户）每隔几分钟计算一次，因此变化发生后几秒内就会启动运行。数据为 `{ customerId, segmentId, segmentName, change, at, changeId }`，外加运行开始时的客户信息：`displayName`、`phone`、`email`、`stage`、`score`、`priority`、`ownerId`、`tags`、`firstChannel`、`lastInteractionAt`、`identities`（此后已被合并的客户会跟随到保留的客户，即 `customerId`，并带 `mergedFrom`）。已删除的客户不会启动运行，被合并到其他客户的记录离开分群也不会（这个人并没有离开）。只有流程首次发布之后的变化才会启动运行；取消发布即暂停，重新发布后从暂停处继续。',
    config: {
      '/properties/segmentId': { title: '分群', description: '已保存分群的 ID（`GET /api/segments` 可列出），例如 `dormant-90d`。' },
      '/properties/change': { title: '触发时机', description: '`entered`：进入分群；`left`：离开分群；`both`：两者皆可（数据的 `change` 表明是哪一种）。', enumNames: ['进入分群', '离开分群', '进入或离开'] },
    },
  },
};
