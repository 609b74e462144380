import {
  DataDictionary,
  DictionaryTemplateQuery,
  IdParams,
  ImportOptions,
  ImportReport,
  ImportResult,
  ImportRun,
  ImportRunQuery,
  ImportSheetChoice,
  ImportUpload,
  pageOf,
  SavedMapping,
  SavedMappingQuery,
} from '@serviceloop/contracts';
import { contentDisposition, sendAttachment } from '../../platform/files/index';
import type { HttpApp } from '../../platform/http/app';
import { type Access, needs } from '../identity/index';
import type { DataDictionaryService } from './dictionary';
import type { ImportService } from './service';

const ENTITY_RESOURCE = { ticket: 'ticket', customer: 'customer', device: 'device', part: 'part' } as const;

export function importRoutes(access: Access, service: ImportService, dictionary: DataDictionaryService) {
  const tags = ['integrations'];
  return (app: HttpApp) => {
    app.get(
      '/data-dictionary',
      {
        config: needs('import', 'read'),
        schema: {
          tags,
          description:
            'Every importable field of tickets, customers, devices and parts (generated from the contracts), the fault categories problem types are normalised to, and the custom ticket fields.',
          response: { 200: DataDictionary },
        },
      },
      async () => dictionary.dictionary(),
    );

    app.get(
      '/data-dictionary/template',
      {
        config: needs('import', 'read'),
        schema: {
          tags,
          description:
            "An empty xlsx to fill in for an import: headers in the caller's language, drop-downs for enum columns, a sheet explaining every field.",
          querystring: DictionaryTemplateQuery,
        },
      },
      async (request, reply) => {
        const file = await dictionary.template(request.query.entity, request.query.lang ?? request.locale);
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', contentDisposition('attachment', file.name))
          .send(file.content);
      },
    );

    app.get(
      '/imports',
      {
        config: needs('import', 'read'),
        schema: { tags, querystring: ImportRunQuery, response: { 200: pageOf(ImportRun) } },
      },
      async (request) => service.list(request.query),
    );

    app.get(
      '/imports/:id',
      { config: needs('import', 'read'), schema: { tags, params: IdParams, response: { 200: ImportRun } } },
      async (request) => service.run(request.params.id),
    );

    app.post(
      '/imports',
      {
        config: needs('import', 'create'),
        schema: {
          tags,
          description:
            "multipart/form-data: the field `entity` (ticket, customer, device, part) and optionally `sheet` (the worksheet to read; by default the one whose first lines hold the header) first, then the `file` (.xlsx or .csv). Answers the sheet read and the workbook's sheets, the detected header, a sample and the guessed mapping.",
          response: { 201: ImportUpload },
        },
      },
      async (request, reply) => {
        const upload = await service.upload(request, access.actor(request).userId);
        return reply.status(201).send(upload);
      },
    );

    app.put(
      '/imports/:id/sheet',
      {
        config: needs('import', 'create'),
        schema: {
          tags,
          description:
            'Reads another worksheet of the uploaded workbook: answers its header, sample and guessed mapping as the upload did. The dry run and the import then read that sheet.',
          params: IdParams,
          body: ImportSheetChoice,
          response: { 200: ImportUpload },
        },
      },
      async (request) => service.chooseSheet(request.params.id, request.body.sheet),
    );

    app.post(
      '/imports/:id/analyse',
      {
        config: needs('import', 'create'),
        schema: {
          tags,
          description:
            'Dry run: the mapped preview, the values the taxonomy cannot place, and every problem by row and field.',
          params: IdParams,
          body: ImportOptions,
          response: { 200: ImportReport },
        },
      },
      async (request) => service.analyse(request.params.id, request.body, request.locale, access.actor(request).userId),
    );

    app.post(
      '/imports/:id/commit',
      {
        config: needs('import', 'create'),
        schema: {
          tags,
          description:
            'Imports the whole file in one transaction. Any bad row and nothing is written: 422 `import.rows_invalid` with the problems in `details` and an error file to download.',
          params: IdParams,
          body: ImportOptions,
          response: { 200: ImportResult },
        },
      },
      async (request) => {
        const run = await service.run(request.params.id);
        // Importing writes records of that kind: the caller must be allowed to create them.
        await access.authorize(request, ENTITY_RESOURCE[run.entity], 'create');
        return service.commit(request.params.id, request.body, request.locale, access.actor(request).userId);
      },
    );

    app.get(
      '/imports/:id/error-file',
      {
        config: needs('import', 'read'),
        schema: { tags, description: 'The original rows plus an error column (xlsx).', params: IdParams },
      },
      async (request, reply) => {
        const file = await service.errorFileOf(request.params.id);
        return sendAttachment(reply, service.files, {
          kind: 'document',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          storageKey: file.key,
          thumbnailKey: null,
          originalName: file.name,
        });
      },
    );

    app.get(
      '/import-mappings',
      {
        config: needs('import', 'read'),
        schema: { tags, querystring: SavedMappingQuery, response: { 200: SavedMapping } },
      },
      async (request) => service.savedMapping(request.query.entity),
    );
  };
}
