import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const assignNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '分配负责人',
    description: '为每条数据的客户选择负责人：第一条匹配的规则（区域或城市、行业、产品线、渠道、广告活动，或任意数据/客户字段）指定一个团队，否则用默认团队；在团队内，从在职、未请假、未超过容量且（默认）按各自时区当前在工作时间的成员中轮流分配或分给负载最少的人。已有在职负责人的客户默认保持不变（粘性分配），除非另行配置。多个 worker 并发时依然公平（团队轮次和成员负载在行锁下读取）。分配结果及原因（规则、团队、策略、考虑过的每位成员及跳过原因）随 `owner_assigned` 时间线事件记录；步骤重试不会重复分配。数据加上 `ownerId`、`teamId`、`owner`（姓名、邮箱、手机、企业微信 userid）和 `assignment` 后从 `out` 发出；无人可接的数据连同原因发往 `unassigned`。',
    ports: { out: '已分配', unassigned: '未分配', error: '出错' },
    config: {
      '/properties/rules': { title: '分配规则', description: '按顺序检查；第一条条件全部成立的规则决定团队。' },
      '/properties/rules/items': { title: '规则' },
      '/properties/rules/items/properties/name': { title: '名称', description: '随分配结果记录，例如 `华东区域`。' },
      '/properties/rules/items/properties/when': { title: '条件（全部成立）' },
      '/properties/rules/items/properties/when/items': { title: '条件' },
      '/properties/rules/items/properties/when/items/properties/field': { title: '字段', description: '数据字段（`city`、`utm.campaign`），没有时读取客户的同名属性；`item.x` 只读数据，`customer.x` 只读客户（`customer.stage`、`customer.score`、`customer.priority`、`customer.tags`、`customer.firstChannel` 或某个属性）。' },
      '/properties/rules/items/properties/when/items/properties/op': { title: '运算符', description: '文本比较忽略大小写和全角半角；城市字段按城市比较（上海市 = 上海 = Shanghai）；对列表（标签）使用 eq/in/contains 时查找其中的元素。', enumNames: ['等于', '不等于', '属于', '不属于', '包含', '开头是', '存在', '不存在', '大于', '不小于', '小于', '不大于', '匹配正则'] },
      '/properties/rules/items/properties/when/items/properties/value': { title: '值', description: '一个值；in / not_in 填列表（eq、contains、starts_with、matches 也可填多个，任一满足即可）。exists / not_exists 不用填。' },
      '/properties/rules/items/properties/team': { title: '团队 ID' },
      '/properties/rules/items/properties/strategy': { title: '分配策略', description: '此规则覆盖节点的分配策略。', enumNames: ['轮流分配', '负载最少优先'] },
      '/properties/defaultTeam': { title: '默认团队', description: '没有规则匹配时使用。不设置时，这些客户发往 `unassigned`。' },
      '/properties/strategy': { title: '分配策略', description: '`round_robin`：按团队顺序轮流分配；`least_loaded`：分给未结客户（阶段不属于已结束阶段）最少的成员，相同时轮流。', enumNames: ['轮流分配', '负载最少优先'] },
      '/properties/workingHours': { title: '工作时间', description: '`prefer`：优先当前在工作时间的负责人（按其本人的工作时间和时区），否则任何符合条件的人；`only`：只分给当前在工作时间的负责人，否则 `unassigned`；`ignore`：不考虑。未设置工作时间的负责人视为一直在岗。', enumNames: ['优先在岗人员', '仅限在岗人员', '不考虑'] },
      '/properties/sticky': { title: '已有负责人的客户', description: '`keep`：保留其在职负责人（回访客户仍分给同一人）；`keep_if_available`：负责人当前请假时除外；`reassign`：每次都重新分配。', enumNames: ['保留原负责人', '原负责人可用时保留', '重新分配'] },
      '/properties/closedStages': { title: '已结束阶段', description: '处于这些阶段的客户不再计入负责人的负载和容量。' },
      '/properties/ownerMatch': { title: '负责人与客户匹配', description: '只分给其属性列出客户对应值（或 `*`）的成员，例如 `{attribute: "regions", field: "city"}` 或 `{attribute: "productLines", field: "product"}`。没有该值的客户可以分给任何人。' },
      '/properties/ownerMatch/items/properties/attribute': { title: '负责人属性' },
      '/properties/ownerMatch/items/properties/field': { title: '数据或客户字段' },
      '/properties/customerIdField': { title: '客户 ID 字段', description: '由 customer.upsert 设置。' },
    },
  },
};
