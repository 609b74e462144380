import { analytics } from './zh-CN/analytics';
import { assets } from './zh-CN/assets';
import { automation } from './zh-CN/automation';
import { config } from './zh-CN/config';
import { customers } from './zh-CN/customers';
import { field } from './zh-CN/field';
import { forms } from './zh-CN/forms';
import { identity } from './zh-CN/identity';
import { integrations } from './zh-CN/integrations';
import { notifications } from './zh-CN/notifications';
import { parts } from './zh-CN/parts';
import { portal } from './zh-CN/portal';
import { search } from './zh-CN/search';
import { shell } from './zh-CN/shell';
import { sla } from './zh-CN/sla';
import { tickets } from './zh-CN/tickets';
import { workflows } from './zh-CN/workflows';

/**
 * 简体中文 — the default language and the source of the keys, one file per feature in zh-CN/.
 * en-US/ must have exactly these keys, file by file (checked by TypeScript and a test).
 */
export const zhCN = {
  ...shell,
  ...identity,
  ...customers,
  ...assets,
  ...search,
  ...tickets,
  ...sla,
  ...parts,
  ...analytics,
  ...workflows,
  ...automation,
  ...forms,
  ...config,
  ...field,
  ...notifications,
  ...portal,
  ...integrations,
};

export type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof zhCN>;
