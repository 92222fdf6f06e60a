// Chinese places that customers type in city fields and that companies put in their names.
// Cities: the municipalities, special administrative regions, provincial capitals and the
// largest prefecture cities, each with its pinyin, English/postal spellings and short names.

/** Chinese name → Latin and short-name aliases (lower case, letters only). */
export const CITY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  北京: ['beijing', 'peking', 'peiping', '京', '帝都'],
  上海: ['shanghai', '沪', '申', '魔都'],
  广州: ['guangzhou', 'canton', 'kwangchow', '穗'],
  深圳: ['shenzhen', 'shumchun', '鹏城'],
  天津: ['tianjin', 'tientsin', '津'],
  重庆: ['chongqing', 'chungking', '渝'],
  杭州: ['hangzhou', 'hangchow', '杭'],
  南京: ['nanjing', 'nanking', '宁', '金陵'],
  苏州: ['suzhou', 'soochow'],
  成都: ['chengdu', 'chengtu', '蓉'],
  武汉: ['wuhan', 'hankow', '汉'],
  西安: ['xian', 'sian', 'xi an', 'hsian'],
  香港: ['hongkong', 'hong kong', 'hk', 'hksar', '港'],
  澳门: ['macau', 'macao'],
  台北: ['taipei', 'taibei'],
  高雄: ['kaohsiung', 'gaoxiong'],
  台中: ['taichung', 'taizhong'],
  青岛: ['qingdao', 'tsingtao'],
  厦门: ['xiamen', 'amoy', '鹭岛'],
  大连: ['dalian', 'dairen'],
  沈阳: ['shenyang', 'mukden'],
  哈尔滨: ['harbin', 'haerbin'],
  长春: ['changchun'],
  长沙: ['changsha'],
  郑州: ['zhengzhou'],
  济南: ['jinan', 'tsinan'],
  合肥: ['hefei'],
  福州: ['fuzhou', 'foochow'],
  昆明: ['kunming'],
  宁波: ['ningbo'],
  无锡: ['wuxi'],
  东莞: ['dongguan'],
  佛山: ['foshan'],
  珠海: ['zhuhai'],
  南宁: ['nanning'],
  贵阳: ['guiyang'],
  南昌: ['nanchang'],
  石家庄: ['shijiazhuang'],
  太原: ['taiyuan'],
  兰州: ['lanzhou'],
  乌鲁木齐: ['urumqi', 'wulumuqi'],
  呼和浩特: ['hohhot', 'huhehaote'],
  拉萨: ['lhasa', 'lasa'],
  西宁: ['xining'],
  银川: ['yinchuan'],
  海口: ['haikou'],
  三亚: ['sanya'],
  温州: ['wenzhou'],
  常州: ['changzhou'],
  泉州: ['quanzhou'],
  烟台: ['yantai'],
  徐州: ['xuzhou'],
  惠州: ['huizhou'],
  中山: ['zhongshan'],
  绍兴: ['shaoxing'],
  嘉兴: ['jiaxing'],
  金华: ['jinhua'],
  南通: ['nantong'],
  潍坊: ['weifang'],
  洛阳: ['luoyang'],
};

// Other prefecture- and county-level cities that appear in company names and addresses
// (昆山ABC科技 is a company from 昆山); no Latin names needed for these.
export const OTHER_CITIES: readonly string[] = (
  '昆山 义乌 绵阳 常熟 江阴 张家港 慈溪 余姚 晋江 石狮 顺德 南海 萧山 余杭 扬州 镇江 泰州 盐城 淮安 连云港 宿迁 ' +
  '湖州 台州 丽水 衢州 舟山 芜湖 蚌埠 安庆 马鞍山 阜阳 漳州 莆田 龙岩 三明 宁德 赣州 九江 上饶 景德镇 淄博 临沂 ' +
  '济宁 威海 日照 泰安 德州 聊城 滨州 枣庄 东营 菏泽 开封 新乡 南阳 许昌 安阳 焦作 平顶山 商丘 信阳 宜昌 襄阳 ' +
  '荆州 十堰 黄石 孝感 株洲 湘潭 衡阳 岳阳 常德 郴州 汕头 江门 湛江 茂名 肇庆 清远 揭阳 韶关 梅州 潮州 柳州 ' +
  '桂林 北海 遵义 大理 丽江 曲靖 宜宾 泸州 德阳 南充 乐山 攀枝花 宝鸡 咸阳 榆林 延安 天水 保定 唐山 廊坊 邯郸 ' +
  '沧州 秦皇岛 承德 张家口 邢台 大同 长治 晋中 临汾 运城 包头 鄂尔多斯 鞍山 抚顺 锦州 营口 丹东 吉林 四平 ' +
  '延吉 齐齐哈尔 大庆 牡丹江 佳木斯 克拉玛依 喀什 银川 新竹 台南 桃园 基隆'
).split(' ');

/** Provinces and autonomous regions with their Latin names; a city field often starts with one. */
export const PROVINCES: Readonly<Record<string, readonly string[]>> = {
  河北: ['hebei'], 山西: ['shanxi'], 辽宁: ['liaoning'], 吉林: ['jilin'], 黑龙江: ['heilongjiang'],
  江苏: ['jiangsu'], 浙江: ['zhejiang'], 安徽: ['anhui'], 福建: ['fujian'], 江西: ['jiangxi'],
  山东: ['shandong'], 河南: ['henan'], 湖北: ['hubei'], 湖南: ['hunan'], 广东: ['guangdong'],
  海南: ['hainan'], 四川: ['sichuan'], 贵州: ['guizhou'], 云南: ['yunnan'], 陕西: ['shaanxi'],
  甘肃: ['gansu'], 青海: ['qinghai'], 台湾: ['taiwan'], 内蒙古: ['inner mongolia', 'neimenggu'],
  广西: ['guangxi'], 西藏: ['tibet', 'xizang'], 宁夏: ['ningxia'], 新疆: ['xinjiang'],
};

// Official long forms of the autonomous regions, stripped to the short name.
export const REGION_LONG_FORMS: Readonly<Record<string, string>> = {
  内蒙古自治区: '内蒙古', 广西壮族自治区: '广西', 西藏自治区: '西藏', 宁夏回族自治区: '宁夏',
  新疆维吾尔自治区: '新疆', 香港特别行政区: '香港', 澳门特别行政区: '澳门',
};

/** Chinese place names (cities first, then provinces), longest first for prefix matching. */
export const PLACE_NAMES: readonly string[] = [...new Set([...Object.keys(CITY_ALIASES), ...OTHER_CITIES, ...Object.keys(PROVINCES)])]
  .filter((name) => name.length >= 2)
  .sort((a, b) => b.length - a.length);

/** Latin spelling (lower case, letters only) → Chinese name, for cities and provinces. */
export const LATIN_PLACES: ReadonlyMap<string, string> = new Map(
  [...Object.entries(CITY_ALIASES), ...Object.entries(PROVINCES)].flatMap(([zh, aliases]) =>
    aliases.filter((a) => /^[a-z ]+$/.test(a)).map((a) => [a.replace(/ /g, ''), zh] as const),
  ),
);

/** Short Chinese names (沪, 穗, 帝都) → city. */
export const SHORT_CITY_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(CITY_ALIASES).flatMap(([zh, aliases]) =>
    aliases.filter((a) => /[\u3400-\u9fff]/.test(a)).map((a) => [a, zh] as const),
  ),
);
