/** 简体中文: customers, their contacts and sites. */
export const customers = {
  customers: {
    name: '客户名称',
    creditCode: '统一社会信用代码',
    tier: '客户等级',
    region: '所在省份',
    industry: '行业',
    tiers: { vip: 'VIP', standard: '标准' },
    industries: { machine_tools: '机床/机器人', elevator: '电梯维保', consumer_electronics: '消费电子', other: '其他' },
    overview: '客户 360°',
    contacts: '联系人',
    sites: '服务地点',
    history: '变更记录',
    tickets: '工单',
    ticketsLater: '工单模块上线后在此显示该客户的工单。',
  },
  contacts: { name: '姓名', mobile: '手机', email: '邮箱', title: '职务' },
  sites: { name: '地点名称', division: '省/市/区', address: '详细地址', location: '地图位置' },
} as const;
