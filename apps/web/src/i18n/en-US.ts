import { analytics } from './en-US/analytics';
import { assets } from './en-US/assets';
import { automation } from './en-US/automation';
import { config } from './en-US/config';
import { customers } from './en-US/customers';
import { field } from './en-US/field';
import { forms } from './en-US/forms';
import { identity } from './en-US/identity';
import { integrations } from './en-US/integrations';
import { notifications } from './en-US/notifications';
import { parts } from './en-US/parts';
import { portal } from './en-US/portal';
import { search } from './en-US/search';
import { shell } from './en-US/shell';
import { sla } from './en-US/sla';
import { tickets } from './en-US/tickets';
import { workflows } from './en-US/workflows';
import type { Messages } from './zh-CN';

/** English, one file per feature in en-US/, each typed by its zh-CN twin. */
export const enUS: Messages = {
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
