/** 简体中文: global search. */
export const search = {
  search: {
    open: '搜索',
    title: '全局搜索',
    hint: '工单号、客户、联系人电话、序列号、资产编号，名称可用拼音或首字母',
    none: '没有找到匹配的记录',
    groups: { tickets: '工单', customers: '客户', contacts: '联系人', devices: '设备' },
    matched: { pinyin: '拼音', initials: '首字母' },
  },
} as const;
