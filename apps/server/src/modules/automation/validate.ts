import {
  type ConditionLeaf,
  type ConditionNode,
  type FieldValueType,
  OPERATORS_BY_TYPE,
  RULE_FIELDS,
  type RuleTrigger,
} from '@serviceloop/contracts';
import { Cron } from 'croner';

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';
const MAX_DEPTH = 6;
const MAX_LEAVES = 100;

export interface RuleProblem {
  path: string;
  code: string;
}

/** Custom field kinds (modules/forms) as condition value types. */
export function customFieldType(kind: string | undefined): FieldValueType {
  switch (kind) {
    case 'number':
    case 'money':
      return 'number';
    case 'date':
    case 'datetime':
      return 'datetime';
    case 'checkbox':
      return 'boolean';
    case 'multiSelect':
      return 'list';
    case 'select':
      return 'enum';
    default:
      return 'text';
  }
}

/** The value type of a field path, or null when no condition may read it. */
export function fieldType(field: string, customKinds: Map<string, string>): FieldValueType | null {
  const path = /^(ticket|customer|device|contract|event)\./.test(field) ? field : `ticket.${field}`;
  if (path.startsWith('event.')) return 'text';
  if (path.startsWith('ticket.fields.')) return customFieldType(customKinds.get(path.slice('ticket.fields.'.length)));
  return RULE_FIELDS[path]?.type ?? null;
}

function valueProblem(leaf: ConditionLeaf, type: FieldValueType): string | null {
  const v = leaf.value;
  switch (leaf.op) {
    case 'in':
    case 'not_in':
      return Array.isArray(v) && v.length > 0 ? null : 'validation.automation.value_list';
    case 'between':
      return Array.isArray(v) && v.length === 2 && v.every((x) => comparable(x, type))
        ? null
        : 'validation.automation.value_range';
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return comparable(v, type) ? null : 'validation.automation.value_number';
    case 'is_empty':
    case 'not_empty':
    case 'changed':
      return null;
    case 'changed_to':
    case 'changed_from':
      return v === undefined || !Array.isArray(v) ? null : 'validation.automation.value_single';
    default:
      return v === undefined || Array.isArray(v) ? 'validation.automation.value_single' : null;
  }
}

const comparable = (v: unknown, type: FieldValueType) =>
  type === 'datetime'
    ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
    : typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

/**
 * What the schema cannot see: each leaf's field exists and its operator and value fit the field's
 * type, the tree stays small, and a cron expression parses. Problems carry the body path.
 */
export function ruleProblems(
  rule: { trigger?: RuleTrigger; conditions?: ConditionNode | null },
  customKinds: Map<string, string>,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  let count = 0;
  const walk = (node: ConditionNode, path: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      problems.push({ path, code: 'validation.automation.too_deep' });
      return;
    }
    if ('field' in node) {
      count++;
      const type = fieldType(node.field, customKinds);
      if (!type) problems.push({ path: `${path}.field`, code: 'validation.automation.field' });
      else if (!OPERATORS_BY_TYPE[type].includes(node.op))
        problems.push({ path: `${path}.op`, code: 'validation.automation.operator' });
      else {
        const problem = valueProblem(node, type);
        if (problem) problems.push({ path: `${path}.value`, code: problem });
      }
      return;
    }
    if ('not' in node) return walk(node.not, `${path}.not`, depth + 1);
    const key = 'all' in node ? 'all' : 'any';
    const children = 'all' in node ? node.all : node.any;
    for (const [i, c] of children.entries()) walk(c, `${path}.${key}.${i}`, depth + 1);
  };
  if (rule.conditions) walk(rule.conditions, 'conditions', 1);
  if (count > MAX_LEAVES) problems.push({ path: 'conditions', code: 'validation.automation.too_many' });
  if (rule.trigger?.type === 'schedule' && !nextCronRun(rule.trigger.cron, new Date()))
    problems.push({ path: 'trigger.cron', code: 'validation.automation.cron' });
  return problems;
}

/** The next time a cron expression fires after `after`, read in China Standard Time; null if invalid. */
export function nextCronRun(expression: string, after: Date): Date | null {
  try {
    return new Cron(expression, { timezone: SCHEDULE_TIME_ZONE, paused: true }).nextRun(after);
  } catch {
    return null;
  }
}
