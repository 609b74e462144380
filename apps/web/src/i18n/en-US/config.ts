import type { Strings } from '../zh-CN';
import type { config as zh } from '../zh-CN/config';

/** English: configuration. */
export const config: Strings<typeof zh> = {
  config: {
    title: 'Configuration export and import',
    hint: 'Export custom fields, fault categories, SLA, notifications and more as JSON, and import them into another installation (e.g. test to production) after a preview. Import creates and updates, never deletes; documents carry no robot URLs or secrets.',
    export: 'Export',
    download: 'Export JSON',
    import: 'Import',
    choose: 'Choose a JSON file',
    notJson: 'Not a valid JSON file',
    preview: 'Preview changes',
    apply: 'Apply import',
    applied: 'Configuration imported',
    problems: 'The document has problems; nothing was changed',
    path: 'Where',
    problem: 'Problem',
    section: 'Section',
    created: 'New',
    updated: 'Updated',
    unchanged: 'Unchanged',
    previewFrom: 'Preview: from {{source}} (exported {{at}}), nothing written yet',
    appliedFrom: 'Imported from {{source}}',
    secretsHint: 'These endpoints are new here: give their URL (DingTalk/Feishu also a secret), then preview again',
    url: 'URL https://…',
    secret: 'Signing secret (optional)',
    history: 'Imports',
    importedAt: 'Imported at',
    importedBy: 'By',
    source: 'From',
    changes: 'Changes',
  },
};
