import { WORKFLOW_MESSAGES, type WorkflowDefinition, workflowProblems } from '@serviceloop/contracts';

/** The same problems the server refuses activation with, worded in the reader's language. */
export function describedProblems(def: WorkflowDefinition, fieldKeys: string[], language: string) {
  const locale = language === 'en-US' ? 'en-US' : 'zh-CN';
  return workflowProblems(def, fieldKeys).map((p) => ({
    path: p.path,
    code: p.code,
    message: (WORKFLOW_MESSAGES[p.code]?.[locale] ?? p.code).replace(/\{(\w+)\}/g, (_, name: string) =>
      String(p.params?.[name] ?? `{${name}}`),
    ),
  }));
}

/** A key not yet used in the list: `base`, `base_2`, `base_3`, … */
export function freshKey(base: string, taken: { key: string }[]) {
  const keys = new Set(taken.map((x) => x.key));
  if (!keys.has(base)) return base;
  let n = 2;
  while (keys.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}
